package io.redisl1.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ZipfTest {
  private static int[] histogram(Zipf zipf, int n, int draws) {
    int[] counts = new int[n];
    for (int i = 0; i < draws; i++) {
      counts[zipf.next()]++;
    }
    return counts;
  }

  @Test
  void skewZeroIsUniformAndEveryRankIsInRange() {
    int[] counts = histogram(new Zipf(10, 0), 10, 100_000);
    for (int c : counts) {
      // expected 10,000 each; 5 standard deviations is ~470
      assertTrue(Math.abs(c - 10_000) < 600, "rank drawn " + c + " times of 100,000");
    }
  }

  @Test
  void skewOneDrawsRankOneTwiceAsOftenAsRankTwo() {
    int[] counts = histogram(new Zipf(1_000, 1.0), 1_000, 200_000);
    double ratio = (double) counts[0] / counts[1];
    assertTrue(ratio > 1.8 && ratio < 2.2, "rank 1 / rank 2 = " + ratio);
    // P(rank 1) = 1 / H(1000) ~ 0.1336
    assertTrue(Math.abs(counts[0] / 200_000.0 - 0.1336) < 0.01, "rank 1 share " + counts[0] / 200_000.0);
  }

  @Test
  void oneKeyAlwaysDrawsIt() {
    Zipf zipf = new Zipf(1, 0.99);
    for (int i = 0; i < 1_000; i++) {
      assertEquals(0, zipf.next());
    }
  }

  @Test
  void badShapeIsRefusedWithItsValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Zipf(0, 1));
    assertTrue(e.getMessage().contains("n=0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Zipf(10, -1));
  }

  @Test
  void badSettingNamesItsProperty() {
    System.setProperty("load.reads", "1.5");
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, LoadSettings::fromSystemProperties);
      assertTrue(e.getMessage().contains("-Dload.reads"), e.getMessage());
      System.setProperty("load.reads", "lots");
      e = assertThrows(IllegalArgumentException.class, LoadSettings::fromSystemProperties);
      assertTrue(e.getMessage().contains("-Dload.reads: not a number: lots"), e.getMessage());
    } finally {
      System.clearProperty("load.reads");
    }
  }
}
