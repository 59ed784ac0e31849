package io.redisl1.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.instrument.ClassFileTransformer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientClassGateTest {
  private static final byte[] ORIGINAL = {1};
  private static final byte[] REWRITTEN = {2};
  private static final String CONNECTION = "redis/clients/jedis/Connection";

  private final AtomicInteger calls = new AtomicInteger();
  /** Stands in for a Byte Buddy transformer: rewrites whatever it is given. */
  private final ClassFileTransformer rewriter =
      new ClassFileTransformer() {
        @Override
        public byte[] transform(
            Module module, ClassLoader loader, String name, Class<?> redefined, java.security.ProtectionDomain domain, byte[] bytes) {
          calls.incrementAndGet();
          return REWRITTEN;
        }
      };

  private static byte[] load(ClientClassGate gate, String name) throws Exception {
    return gate.transform(null, null, name, null, null, ORIGINAL);
  }

  @Test
  void otherClassesPassAtOnceWhileTheAgentIsStarting() throws Exception {
    ClientClassGate gate = new ClientClassGate(TimeUnit.MINUTES.toNanos(1));
    assertNull(load(gate, "java/lang/String"));
    assertNull(load(gate, "com/example/App"));
    assertNull(load(gate, "redis/clients/jedisx/NotJedis"));
  }

  @Test
  void aClientClassWaitsForTheTransformersAndIsThenRewritten() throws Exception {
    ClientClassGate gate = new ClientClassGate(TimeUnit.MINUTES.toNanos(1));
    CompletableFuture<byte[]> loading = CompletableFuture.supplyAsync(() -> {
      try {
        return load(gate, CONNECTION);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);
    assertFalse(loading.isDone(), "a client class must not load before the agent has started");
    assertTrue(gate.open(List.of(rewriter)));
    assertArrayEquals(REWRITTEN, loading.get(10, TimeUnit.SECONDS));
    assertArrayEquals(REWRITTEN, load(gate, "io/lettuce/core/RedisClient"));
    assertNull(load(gate, "com/example/App"));
    assertEquals(2, calls.get(), "only client classes reach the transformers");
  }

  @Test
  void afterTheWaitEveryClientClassLoadsUnchangedEvenIfTheAgentStartsLater() throws Exception {
    ClientClassGate gate = new ClientClassGate(TimeUnit.MILLISECONDS.toNanos(50));
    assertNull(load(gate, CONNECTION));
    assertFalse(gate.open(List.of(rewriter)), "half-rewritten clients would serve stale values");
    assertNull(load(gate, "redis/clients/jedis/UnifiedJedis"));
    assertEquals(0, calls.get());
  }

  @Test
  void whenTheAgentStaysOutClientClassesLoadUnchanged() throws Exception {
    ClientClassGate gate = new ClientClassGate(TimeUnit.MINUTES.toNanos(1));
    assertTrue(gate.open(List.of()));
    assertNull(load(gate, CONNECTION));
  }

  @Test
  void theStartingThreadNeverWaitsForItself() throws Exception {
    ClientClassGate gate = new ClientClassGate(TimeUnit.MINUTES.toNanos(1));
    gate.startedBy(Thread.currentThread());
    assertNull(load(gate, CONNECTION));
  }
}
