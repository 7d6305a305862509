package io.wattstream.streams.processors;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * Application sensors, registered per task so they show up next to Kafka Streams' own metrics as
 * {@code <operation>-total} / {@code <operation>-rate} in group {@code stream-wattstream-metrics}.
 */
public final class Sensors {

    public static final String SCOPE = "wattstream";

    static Sensor rateTotal(ProcessingContext context, String operation) {
        return context.metrics().addRateTotalSensor(SCOPE, "task-" + context.taskId(), operation,
                Sensor.RecordingLevel.INFO, "task-id", context.taskId().toString());
    }

    private Sensors() {
    }
}
