package dev.servmon.agent.programs;

import dev.servmon.agent.Log;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The one thread that runs health checks, so a slow check (up to its timeout) never holds up
 * the supervisor's tick. Its queue is bounded: a check that finds it full is skipped and tried
 * again an interval later.
 */
final class HealthChecker implements AutoCloseable {
    private static final Log log = Log.get(HealthChecker.class);
    private static final int QUEUE = 64;
    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;

    HealthChecker() {
        thread = new Thread(this::loop, "servmon-health");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a check; false when the queue is full (the check is skipped). */
    boolean submit(Runnable check) {
        return queue.offer(check);
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                queue.take().run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("servmon agent: a health check failed unexpectedly; the next one runs on schedule", e);
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
