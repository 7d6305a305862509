package io.wattstream.bench.suite;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The per-component benchmarks, each in a quick setting that fits the suite's time budget. */
final class ComponentParts {

    static Map<String, BenchSuite.Part> all(Path rawDir) {
        Map<String, BenchSuite.Part> parts = new LinkedHashMap<>();
        parts.put("ingest", new IngestPart(rawDir));
        parts.put("streams", new StreamsPart(rawDir));
        parts.put("sink", new SinkPart(rawDir));
        parts.put("query", new QueryPart(rawDir));
        return parts;
    }

    private ComponentParts() {
    }
}
