package dev.servmon.hub.alerts.notify;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the {@link Outbox} holds, on the leader only (so each message goes out once): a
 * thread wakes when something is queued here, or at the latest every second, and sends the
 * due deliveries a few at a time, so one slow receiver does not hold up the others. Alert
 * evaluation never waits for it.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final int BATCH = 32;
    static final int SENDERS = 4;
    private static final long IDLE_WAIT_MS = 1_000;

    private final Outbox outbox;
    private final NotifierStore notifiers;
    private final Transport http;
    private final Transport mail;
    private final Clock clock;
    private final BooleanSupplier active;
    private final ThreadPoolExecutor senders;
    private final Thread thread;
    private final Object signal = new Object();
    private volatile boolean running = true;
    private boolean woken;

    /**
     * @param active whether this hub sends (it is the leader)
     */
    public Dispatcher(Outbox outbox, NotifierStore notifiers, Transport http, Transport mail, Clock clock, BooleanSupplier active) {
        this.outbox = outbox;
        this.notifiers = notifiers;
        this.http = http;
        this.mail = mail;
        this.clock = clock;
        this.active = active;
        this.senders = new ThreadPoolExecutor(SENDERS, SENDERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BATCH), r -> {
            Thread t = new Thread(r, "servmon-notify-send");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        senders.allowCoreThreadTimeOut(true);
        this.thread = new Thread(this::loop, "servmon-notify");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Something was queued: look now. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                if (active.getAsBoolean()) {
                    while (runDue() == BATCH && running) {
                        // a full batch: there may be more due right away
                    }
                }
            } catch (RuntimeException e) {
                log.error("sending notifications failed; trying again in {} ms", IDLE_WAIT_MS, e);
            }
            synchronized (signal) {
                try {
                    if (!woken) {
                        signal.wait(IDLE_WAIT_MS);
                    }
                    woken = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Sends every delivery due now (one batch); returns how many were attempted. */
    public synchronized int runDue() {
        List<Delivery> due = outbox.due(clock.millis(), BATCH);
        send(due, true);
        return due.size();
    }

    /** Sends these deliveries now, recording the outcome; without {@code retry} a failure is final. */
    public synchronized List<Delivery> sendNow(List<Long> ids, boolean retry) {
        send(outbox.byIds(ids), retry);
        return outbox.byIds(ids);
    }

    private void send(List<Delivery> deliveries, boolean retry) {
        if (deliveries.isEmpty()) {
            return;
        }
        Map<Long, Notifier> byId = new HashMap<>();
        notifiers.findAll(deliveries.stream().map(Delivery::notifierId).distinct().toList()).forEach(n -> byId.put(n.id(), n));
        List<Future<?>> running = new ArrayList<>();
        for (Delivery d : deliveries) {
            Notifier n = byId.get(d.notifierId());
            if (n == null) {
                continue; // deleted meanwhile; its deliveries went with it
            }
            running.add(senders.submit(() -> {
                Transport t = n.type() == NotifierType.EMAIL ? mail : http;
                Transport.Result r = t.send(n, d);
                outbox.record(d, r, clock.millis(), retry);
                if (r.ok()) {
                    log.info("notification sent delivery={} notifier={} event={} attempt={}", d.id(), n.name(), d.event(), d.attempts() + 1);
                } else {
                    log.warn("notification failed delivery={} notifier={} event={} attempt={} error={}", d.id(), n.name(), d.event(),
                            d.attempts() + 1, r.error());
                }
            }));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                log.error("recording a notification attempt failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        senders.shutdownNow();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
