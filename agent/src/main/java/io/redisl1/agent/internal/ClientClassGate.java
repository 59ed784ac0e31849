package io.redisl1.agent.internal;

import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The only transformer premain installs: it lets the agent start on a background thread while the
 * JVM goes on to the application's {@code main}, and hands client classes to the Byte Buddy
 * transformers once they exist.
 *
 * <p>A client class that loads before the agent has started waits for it: loaded unchanged it would
 * stay uncached for the JVM's life (the advice adds fields, so it cannot be retransformed later).
 * The transformers are handed over only after the store, the runtime and the invalidation channels
 * are up, so no rewritten client can reach an L1 that is not guarded yet. If the start takes longer
 * than {@link #WAIT_SECONDS}, the gate gives up for good: every client class loads unchanged and the
 * clients run uncached (a hit path whose invalidation hooks were left out would serve stale values,
 * so it is all classes or none). Every other class passes after a name check.
 */
final class ClientClassGate implements ClassFileTransformer {
  /** Longer than any start seen on a loaded 2-core machine; only a stuck start reaches it. */
  static final long WAIT_SECONDS = 30;
  /** Where every instrumentation module's types live (internal names). */
  private static final List<String> CLIENT_PACKAGES = List.of("redis/clients/jedis/", "io/lettuce/core/");

  private final CountDownLatch decided = new CountDownLatch(1);
  /** Null until the start is over; then the transformers, none if the agent stays out. */
  private final AtomicReference<List<ClassFileTransformer>> transformers = new AtomicReference<>();
  private final long waitNanos;
  private volatile Thread starter;

  ClientClassGate(long waitNanos) {
    this.waitNanos = waitNanos;
  }

  static ClientClassGate install(Instrumentation inst) {
    ClientClassGate gate = new ClientClassGate(TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
    inst.addTransformer(gate, false);
    return gate;
  }

  /** The thread that starts the agent: it must never wait for itself. */
  void startedBy(Thread thread) {
    starter = thread;
  }

  /**
   * Ends the wait: client classes go through {@code next} from now on. Returns false if the gate had
   * already given up, in which case no client class is rewritten.
   */
  boolean open(List<ClassFileTransformer> next) {
    boolean inForce = transformers.compareAndSet(null, List.copyOf(next));
    decided.countDown();
    return inForce;
  }

  static boolean isClientClass(String internalName) {
    for (String p : CLIENT_PACKAGES) {
      if (internalName.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public byte[] transform(
      Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
    if (name == null || !isClientClass(name) || Thread.currentThread() == starter) {
      return null;
    }
    byte[] current = null;
    for (ClassFileTransformer next : awaitStart(name)) {
      try {
        byte[] changed = next.transform(module, loader, name, redefined, domain, current == null ? bytes : current);
        current = changed == null ? current : changed;
      } catch (Throwable t) {
        L1Runtime.failed("instrumenting " + name.replace('/', '.'), t);
        return null;
      }
    }
    return current;
  }

  private List<ClassFileTransformer> awaitStart(String name) {
    List<ClassFileTransformer> ready = transformers.get();
    if (ready != null) {
      return ready;
    }
    long deadline = System.nanoTime() + waitNanos;
    boolean interrupted = false;
    try {
      while (decided.getCount() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          decided.await(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (transformers.compareAndSet(null, List.of())) {
      L1Log.error("the agent had not started after " + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms when " + name.replace('/', '.')
          + " loaded; every client runs uncached");
    }
    return transformers.get();
  }
}
