package io.redisl1.it.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Reader threads hammer one key while a writer sets it to 1, 2, ... {@code writes}: the writer
 * must read each of its own writes back, and once it stops every reader must see the last value.
 * GET replies racing the writes are what the stale-fill guard must keep out of the L1.
 */
final class RacingReaders {
  /** What the race saw: how many reads the readers made, and what went wrong (empty when clean). */
  record Result(long readerGets, List<String> problems) {}

  private RacingReaders() {}

  /**
   * @param readers one read of the key per reader thread (each may use its own connection)
   * @param writeThenRead writes {@code i} to the key and returns what the writer then reads back
   */
  static Result run(List<Supplier<String>> readers, IntFunction<String> writeThenRead, int writes)
      throws InterruptedException {
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong readerGets = new AtomicLong();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (Supplier<String> read : readers) {
      Thread t = new Thread(() -> {
        try {
          while (!done.get()) {
            read.get();
            readerGets.incrementAndGet();
          }
        } catch (RuntimeException e) {
          problems.add("a reader failed: " + e);
        }
      });
      t.start();
      threads.add(t);
    }
    try {
      for (int i = 1; i <= writes; i++) {
        String own = writeThenRead.apply(i);
        if (!Integer.toString(i).equals(own)) {
          problems.add("writer read " + own + " after writing " + i);
        }
      }
    } finally {
      done.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
    for (Supplier<String> read : readers) {
      String seen = read.get();
      if (!Integer.toString(writes).equals(seen)) {
        problems.add("a reader saw " + seen + " after the last write");
      }
    }
    return new Result(readerGets.get(), problems.subList(0, Math.min(5, problems.size())));
  }
}
