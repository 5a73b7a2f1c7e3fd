package dev.servmon.hub;

import java.nio.file.Path;

/**
 * Starts a hub from the hub module alone, for working on the dashboard without building the
 * fat jar: {@code java -cp ... dev.servmon.hub.DevHub PORT INGEST_PORT DATA_DIR}. The admin
 * password is {@link TestHub#ADMIN_PASSWORD}.
 */
public final class DevHub {
    private DevHub() {}

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
        int ingest = args.length > 1 ? Integer.parseInt(args[1]) : port + 1;
        Path data = Path.of(args.length > 2 ? args[2] : "/tmp/servmon-devhub");
        Hub hub = Hub.start(HubConfig.defaults(data).withPorts("127.0.0.1", port, "127.0.0.1", ingest)
                .withInitialAdminPassword(TestHub.ADMIN_PASSWORD));
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close));
        System.out.println("dev hub on http://127.0.0.1:" + hub.port() + "/ ingest http://127.0.0.1:" + hub.ingestPort()
                + " login admin / " + TestHub.ADMIN_PASSWORD);
        Thread.currentThread().join();
    }
}
