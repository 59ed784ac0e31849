package io.redisl1.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StaleFillGuardTest {
  private final StaleFillGuard guard = new StaleFillGuard();
  private final Keyspace keyspace = new Keyspace("10.0.0.1:6379", 0, 7);
  private final byte[] key = "user:1".getBytes(UTF_8);

  @Test
  void aFlushNumberRecordedLateNeverMovesTheKeyspaceBack() {
    // Two flushes drew 1 and 2 and record them in the opposite order.
    keyspace.flushedAtLeast(2);
    keyspace.flushedAtLeast(1);

    assertEquals(2, keyspace.flushedAt);
    assertFalse(guard.mayFill(keyspace, key, 1), "a read begun between the two flushes");
    assertTrue(guard.mayFill(keyspace, key, 2));
  }

  @Test
  void aReadBegunBeforeAnInvalidationMayNotFill() {
    long token = guard.beginRead();
    guard.invalidate(keyspace, key);

    assertFalse(guard.mayFill(keyspace, key, token));
    assertTrue(guard.mayFill(keyspace, key, guard.beginRead()));
  }
}
