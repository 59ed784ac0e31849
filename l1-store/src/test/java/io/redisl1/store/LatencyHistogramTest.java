package io.redisl1.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void eachDurationLandsInTheFirstBucketWhoseBoundHoldsIt() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5); // a clock that went back: zero
    h.record(1024); // exactly the first bound
    h.record(1025);
    h.record(50_000); // 50 µs: bound 65,536
    h.record(5_000_000_000L); // 5 s: beyond the last bound

    assertEquals(1024, h.upperBoundNanos(0));
    assertEquals(2, h.cumulative(0));
    assertEquals(3, h.cumulative(1));
    int i65536 = Long.numberOfTrailingZeros(65_536) - LatencyHistogram.FIRST_BIT;
    assertEquals(65_536, h.upperBoundNanos(i65536));
    assertEquals(3, h.cumulative(i65536 - 1));
    assertEquals(4, h.cumulative(i65536));
    assertEquals(4, h.cumulative(h.bounds() - 1));
    assertEquals(5, h.cumulative(h.bounds()));
    assertEquals(5, h.count());
    assertEquals(1024 + 1025 + 50_000 + 5_000_000_000L, h.sumNanos());
  }
}
