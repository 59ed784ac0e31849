package io.redisl1.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Three reader threads hammer one key while a writer sets it to 1, 2, ... {@code writes}: the
 * writer must read each of its own writes back, and once it stops every read must see the last
 * value. GET replies racing the writes are what the stale-fill guard must keep out of the L1. The
 * client calls come from the scenario, so Jedis and Lettuce run the same check.
 */
public final class ReadersRacingAWriter {
  /** Reads the key as the readers do. */
  private final Supplier<String> read;
  /** Writes {@code i} to the key and returns what the writer then reads back. */
  private final IntFunction<String> writeThenRead;

  public ReadersRacingAWriter(Supplier<String> read, IntFunction<String> writeThenRead) {
    this.read = read;
    this.writeThenRead = writeThenRead;
  }

  /** Runs the race and prints {@code readerGets} and {@code problems} ("none" when clean). */
  public void run(int writes) throws InterruptedException {
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong readerGets = new AtomicLong();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Thread t = new Thread(() -> {
        while (!done.get()) {
          read.get();
          readerGets.incrementAndGet();
        }
      });
      t.start();
      readers.add(t);
    }
    for (int i = 1; i <= writes; i++) {
      String own = writeThenRead.apply(i);
      if (!Integer.toString(i).equals(own)) {
        problems.add("writer read " + own + " after writing " + i);
      }
    }
    done.set(true);
    for (Thread t : readers) {
      t.join();
    }
    for (int r = 0; r < 10; r++) {
      String seen = read.get();
      if (!Integer.toString(writes).equals(seen)) {
        problems.add("a reader saw " + seen + " after the last write");
      }
    }
    System.out.println("readerGets=" + readerGets.get());
    System.out.println("problems=" + (problems.isEmpty() ? "none" : problems.subList(0, Math.min(5, problems.size()))));
  }
}
