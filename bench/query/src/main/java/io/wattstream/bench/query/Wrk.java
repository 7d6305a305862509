package io.wattstream.bench.query;

import io.wattstream.embedded.harness.WrkProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One run of {@code wrk --latency} against a URL, and what it printed: requests/s, percentiles, errors. */
public final class Wrk {

    /**
     * Requests/s, p50/p90/p99 in milliseconds (NaN when wrk printed none), the requests completed, and
     * wrk's error lines (non-2xx answers, socket errors).
     */
    public record Result(double requestsPerSecond, double p50, double p90, double p99, long requests, List<String> errors) {

        /** {@code "  9532 req/s  p50   1.20 ms  p90   2.10 ms  p99   5.80 ms"}: the line the benchmark suite reads. */
        @Override
        public String toString() {
            StringBuilder r = new StringBuilder(Double.isNaN(requestsPerSecond) ? "? req/s"
                    : String.format(Locale.ROOT, "%9.0f req/s", requestsPerSecond));
            double[] ms = {p50, p90, p99};
            String[] names = {"50", "90", "99"};
            for (int i = 0; i < ms.length; i++) {
                if (!Double.isNaN(ms[i])) {
                    r.append(String.format(Locale.ROOT, "  p%s %6.2f ms", names[i], ms[i]));
                }
            }
            errors.forEach(e -> r.append("  [").append(e).append("]"));
            return r.toString();
        }
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
    private static final Pattern PCT = Pattern.compile("^\\s+(50|90|99)%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: .*");

    /** Runs wrk for {@code seconds} with {@code connections} over {@code threads}; fails if wrk does. */
    public static Result run(String url, int seconds, int threads, int connections) throws Exception {
        String out = WrkProcess.run(seconds, "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
                "--timeout", "5s", url);
        Matcher rps = RPS.matcher(out);
        Matcher requests = REQUESTS.matcher(out);
        double[] ms = {Double.NaN, Double.NaN, Double.NaN};
        Matcher m = PCT.matcher(out);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2));
            int i = switch (m.group(1)) {
                case "50" -> 0;
                case "90" -> 1;
                default -> 2;
            };
            ms[i] = switch (m.group(3)) {
                case "us" -> v / 1000;
                case "s" -> v * 1000;
                default -> v;
            };
        }
        List<String> errors = new ArrayList<>();
        Matcher err = ERRORS.matcher(out);
        while (err.find()) {
            errors.add(err.group());
        }
        return new Result(rps.find() ? Double.parseDouble(rps.group(1)) : Double.NaN, ms[0], ms[1], ms[2],
                requests.find() ? Long.parseLong(requests.group(1)) : 0, List.copyOf(errors));
    }

    private Wrk() {
    }
}
