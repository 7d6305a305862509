package io.wattstream.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void readsFamiliesSamplesLabelsAndSpecialValues() {
        PrometheusText t = PrometheusText.parse("""
                # HELP records_total Records processed
                # TYPE records_total counter
                records_total{task="0_1",path="a\\\\b \\"q\\""} 12.0
                records_total{task="0_2"} 3 1700000000000
                # TYPE lag gauge
                lag NaN
                lag{partition="1"} +Inf
                """);
        assertThat(t.types()).containsEntry("records_total", "counter").containsEntry("lag", "gauge");
        assertThat(t.sum("records_total")).contains(15.0);
        assertThat(t.samples("records_total").get(0).labels()).isEqualTo(Map.of("task", "0_1", "path", "a\\b \"q\""));
        assertThat(t.sum("lag")).contains(Double.POSITIVE_INFINITY);
        assertThat(t.sum("absent")).isEmpty();
    }

    @Test
    void refusesWhatIsNotTheTextFormat() {
        assertThatThrownBy(() -> PrometheusText.parse("records-total 1\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("records_total{task=0} 1\n")).hasMessageContaining("malformed labels");
        assertThatThrownBy(() -> PrometheusText.parse("records_total one\n")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> PrometheusText.parse("x 1\n# TYPE x gauge\n")).hasMessageContaining("before any # TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\ny 1\n")).hasMessageContaining("outside its family x");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx 2\n"))
                .hasMessageContaining("family x continued after another");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\n# TYPE x counter\n")).hasMessageContaining("second");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x meter\n")).hasMessageContaining("line 1");
    }
}
