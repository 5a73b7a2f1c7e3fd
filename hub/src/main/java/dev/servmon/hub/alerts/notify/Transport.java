package dev.servmon.hub.alerts.notify;

/** Sends one stored delivery for its notifier. Implementations must not throw: failures are results. */
public interface Transport {
    /** The outcome of one attempt. */
    record Result(boolean ok, Integer code, String error) {
        public static Result sent(int code) {
            return new Result(true, code, null);
        }

        public static Result failed(Integer code, String error) {
            return new Result(false, code, error);
        }
    }

    Result send(Notifier notifier, Delivery delivery);
}
