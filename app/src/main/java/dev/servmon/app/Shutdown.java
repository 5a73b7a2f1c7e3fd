package dev.servmon.app;

import java.util.concurrent.CountDownLatch;

/** Graceful stop on SIGINT/SIGTERM: close what runs, in order, then let main return. */
final class Shutdown {
    private static final CountDownLatch STOPPED = new CountDownLatch(1);

    private Shutdown() {}

    static void onSignal(AutoCloseable... resources) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    System.err.println("servmon: error while stopping " + r.getClass().getSimpleName() + ": " + e);
                }
            }
            STOPPED.countDown();
        }, "servmon-shutdown"));
    }

    static void await() throws InterruptedException {
        STOPPED.await();
    }
}
