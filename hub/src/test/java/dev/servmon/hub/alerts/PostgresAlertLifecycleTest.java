package dev.servmon.hub.alerts;

/**
 * Every scenario of {@link AlertLifecycleTest} on PostgreSQL: the schema of V7 applies there,
 * and the engine (leader-only) writes through the leader's session, the advisory-lock connection.
 */
class PostgresAlertLifecycleTest extends AlertLifecycleTest {
    @Override
    AlertKit startKit() {
        return AlertKit.startPostgres();
    }
}
