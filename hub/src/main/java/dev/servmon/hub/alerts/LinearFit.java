package dev.servmon.hub.alerts;

/**
 * A least-squares straight line through points (t, y): {@code y = intercept + slope × t}. Pure;
 * times are centred on their mean before summing, so epoch milliseconds lose no precision.
 */
public record LinearFit(double slope, double intercept, int points) {

    /** The fit, or null with fewer than two points or when all points share one time. */
    public static LinearFit of(long[] t, double[] y, int n) {
        if (n < 2) {
            return null;
        }
        double meanT = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanT += t[i];
            meanY += y[i];
        }
        meanT /= n;
        meanY /= n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double dt = t[i] - meanT;
            sxx += dt * dt;
            sxy += dt * (y[i] - meanY);
        }
        if (sxx == 0) {
            return null;
        }
        double slope = sxy / sxx;
        return new LinearFit(slope, meanY - slope * meanT, n);
    }

    public double at(double t) {
        return intercept + slope * t;
    }

    /** When the line reaches {@code y}, or null when it never does going forward (flat or falling). */
    public Double timeReaching(double y) {
        return slope <= 0 ? null : (y - intercept) / slope;
    }
}
