package io.wattstream.bench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outbound WebSocket benchmark (bench/gateway, {@code ShellyWsBench}) in the suite's setting:
 * device connections held at once (each still open after the hold, every frame stored) and frames/s
 * through the gateway's acks=all publisher. No ceiling to divide by: read it with the preflight line.
 */
final class WsPart implements BenchSuite.Part {

    private static final String NUM = "([\\d,.]+)";
    private final Path rawDir;
    private final List<String> details = new ArrayList<>();

    WsPart(Path rawDir) {
        this.rawDir = rawDir;
    }

    @Override
    public List<Figure> run() {
        int connections = Integer.getInteger("bench.ws.connections", 2000);
        String text = ComponentParts.run("io.wattstream.bench.gateway.ShellyWsBench",
                List.of("-Dbench.ws.connections=" + connections,
                        "-Dbench.ws.hold-seconds=" + Integer.getInteger("bench.ws.hold-seconds", 15),
                        "-Dbench.ws.rounds=" + Integer.getInteger("bench.ws.rounds", 3),
                        "-Dbench.ws.frames=" + Integer.getInteger("bench.ws.frames", 20)),
                List.of(), rawDir.resolve("ws.log"), Duration.ofMinutes(5));
        Output out = new Output(text);
        double[] hold = out.all("^ws hold: " + NUM + " connections held for " + NUM + " s, " + NUM + " of them still open, "
                + NUM + " pinged; " + NUM + " frames stored of " + NUM + " sent").get(0);
        double held = hold[0];
        double open = hold[2];
        if (hold[4] < hold[5]) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%.0f frames sent on open connections but only %.0f stored", hold[5], hold[4]));
        }
        List<double[]> rounds = out.all("^round \\d+ ws: " + NUM + " frames from " + NUM + " devices stored in " + NUM
                + " s: " + NUM + " frames/s");
        List<Double> rates = rounds.stream().map(r -> r[3]).toList();
        details.add(String.format(Locale.ROOT, "%.0f device connections (JDK WebSocket client in the benchmark's JVM, "
                + "gateway and embedded broker in the same JVM), held %.0f s with a partial every 5 s:", held, hold[1]));
        details.add("");
        details.add("```");
        out.lines("^(ws open|ws hold|round \\d+ ws|ws: )").forEach(details::add);
        details.add("```");
        String ctx = String.format(Locale.ROOT, "%.0f opened, %.0f still open after %.0f s, every frame stored; "
                + "%.0f frames/s median of %d rounds (%.0f partials per device, back to back)", held, open, hold[1],
                Stats.median(rates), rates.size(), rounds.isEmpty() ? Double.NaN : rounds.get(0)[0] / rounds.get(0)[1]);
        Figure connectionsHeld = Figure.of("ws_connections", open, "connections", ctx).atLeast(1000);
        Figure fps = Figure.of("ws_frames_per_s", Stats.median(rates), "frames/s", ctx)
                .range(Stats.min(rates), Stats.max(rates));
        return List.of(connectionsHeld, fps);
    }

    @Override
    public List<String> details() {
        return details;
    }
}
