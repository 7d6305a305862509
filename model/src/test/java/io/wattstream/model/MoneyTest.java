package io.wattstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void aCostIsExactAndSumsWithoutDrift() {
        BigDecimal price = new BigDecimal("0.318765");
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < 10_000; i++) {
            sum = Money.add(sum, Money.cost(0.123457, price));
        }
        // 10 000 x 0.123457 Wh x 0.318765 / 1000 = 0.39354... exactly, where doubles would drift.
        assertThat(sum).isEqualByComparingTo(new BigDecimal("0.123457").multiply(price).multiply(BigDecimal.valueOf(10_000))
                .movePointLeft(3));
        assertThat(sum.scale()).isLessThanOrEqualTo(Money.COST_SCALE);
    }

    @Test
    void totalsAreRoundedHalfUpToTheCurrencysMinorUnit() {
        assertThat(Money.rounded(new BigDecimal("1.005"), "EUR")).isEqualByComparingTo("1.01").hasToString("1.01");
        assertThat(Money.rounded(new BigDecimal("1.0049999"), "EUR")).hasToString("1.00");
        assertThat(Money.rounded(new BigDecimal("152.5"), "JPY")).hasToString("153");
        assertThat(Money.rounded(null, "EUR")).isNull();
    }

    @Test
    void aCostIsWrittenAsAPlainNumber() throws Exception {
        assertThat(Json.MAPPER.writeValueAsString(Money.cost(0.001, new BigDecimal("0.3")))).isEqualTo("0.0000003");
        assertThat(Json.MAPPER.readValue("0.0000003", BigDecimal.class)).isEqualByComparingTo("3E-7");
    }
}
