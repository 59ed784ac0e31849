package io.redisl1.benchmarks;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import io.redisl1.store.session.RedisSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The agent's store as the in-process benchmarks run it, without a client: {@code bench:} cached for an hour. */
final class StoreForBenchmark {
  private static final byte[] GET = "GET".getBytes(StandardCharsets.UTF_8);

  private StoreForBenchmark() {}

  static L1Runtime start() {
    return L1Runtime.start(
        L1Store.create(L1Settings.of(64 << 20, 1 << 20)),
        KeyRules.of(List.of(KeyRule.cached("bench:", Duration.ofHours(1), false))));
  }

  /** Fills {@code key} as a GET's reply on {@code session} would, and checks that it took. */
  static void fill(L1Runtime runtime, RedisSession session, byte[] key, byte[] value) {
    session.sent(new byte[][] {GET, key}).replied(value, false);
    if (session.lookup(runtime, key) == null) {
      throw new IllegalStateException("the fill did not take");
    }
  }
}
