package io.redisl1.store.stress;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuarantee;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck explores interleavings of {@link StaleFillModel}'s client operations on the real {@code
 * L1Store}. Model checking switches threads at the store's and the guard's shared-memory accesses,
 * so a race that needs one thread to stall between two instructions is found on a 2-core machine
 * as surely as on a large one; a stress run adds real threads on the unmodified Caffeine.
 *
 * <p>CI runs a bounded number of invocations. The longer mode runs 50 times as many or more:
 * {@code ./mvnw -B -pl l1-store -am test -Dtest=StaleFillModelCheckTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dredisl1.stress=long}.
 */
class StaleFillModelCheckTest {
  private static final boolean LONG = "long".equals(System.getProperty("redisl1.stress"));

  /**
   * Each call into Caffeine is one step. Its writes schedule maintenance on the common
   * ForkJoinPool, whose submission lock a model-checked thread must not be parked in (the pool's
   * workers are not under the checker's control, and the pool stays wedged for the whole JVM).
   * Nothing is lost for the guard: a fill's check runs inside Caffeine's compute, which holds the
   * key's lock, so an invalidation of that key cannot interleave with it anyway; a flush that
   * could is covered by {@code get}'s own check of the entry's read number against the flush.
   */
  private static final ManagedStrategyGuarantee CAFFEINE_CALLS_ARE_ATOMIC =
      forClasses(name -> name.startsWith("com.github.benmanes.caffeine.")).allMethods().treatAsAtomic();

  /** Counters and the server's order are atomic anyway; fewer switch points, deeper search. */
  private static final ManagedStrategyGuarantee BOOKKEEPING_IS_ATOMIC =
      forClasses("io.redisl1.store.L1Stats", "java.util.concurrent.atomic.LongAdder", ServerOrder.class.getName())
          .allMethods()
          .treatAsAtomic();

  /** Two flushes racing: their numbers must not land in reverse order under a read begun between. */
  @Test
  void twoFlushesRacingAReader() {
    explore(LONG ? 50_000 : 5_000, List.of(actor("flushDb")), List.of(actor("flushDb")), List.of(actor("read", 0, 0)));
  }

  /** Two writers of one key, and a reader who is another ACL user. */
  @Test
  void twoWritersRacingAReaderOfAnotherUser() {
    explore(LONG ? 20_000 : 500, List.of(actor("write", 0)), List.of(actor("write", 0)), List.of(actor("read", 0, 1)));
  }

  /** FLUSHALL across both databases while a write and reads of the same key go on. */
  @Test
  void flushAllRacingAWriteAndReaders() {
    explore(LONG ? 20_000 : 500,
        List.of(actor("flushAll")), List.of(actor("write", 1)), List.of(actor("read", 1, 0), actor("get", 1, 1)));
  }

  /** The sweeper reclaiming flushed entries while a flush and a fill race. */
  @Test
  void sweeperRacingAFlushAndAFill() {
    explore(LONG ? 20_000 : 500, List.of(actor("sweep")), List.of(actor("flushDb")), List.of(actor("read", 0, 0)));
  }

  /** Random mixes of every operation, for the races nobody thought of. */
  @Test
  void randomScenariosNeverServeAValueOlderThanAnAcknowledgedWrite() {
    modelChecking()
        .iterations(LONG ? 200 : 4)
        .invocationsPerIteration(LONG ? 5_000 : 300)
        .threads(3)
        .actorsPerThread(2)
        .actorsBefore(2)
        .actorsAfter(1)
        .check(StaleFillModel.class);
  }

  /** Real threads, Caffeine and its maintenance unconstrained. */
  @Test
  void realThreadsNeverServeAValueOlderThanAnAcknowledgedWrite() {
    new StressOptions()
        .iterations(LONG ? 500 : 10)
        .invocationsPerIteration(LONG ? 20_000 : 500)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(2)
        .actorsAfter(1)
        .check(StaleFillModel.class);
  }

  /** One hand-written race, explored on its own with the given number of interleavings. */
  @SafeVarargs
  private static void explore(int invocations, List<Actor>... threads) {
    modelChecking()
        .iterations(0)
        .invocationsPerIteration(invocations)
        .addCustomScenario(new ExecutionScenario(List.of(), Arrays.asList(threads), List.of(), null))
        .check(StaleFillModel.class);
  }

  private static ModelCheckingOptions modelChecking() {
    return new ModelCheckingOptions().addGuarantee(CAFFEINE_CALLS_ARE_ATOMIC).addGuarantee(BOOKKEEPING_IS_ATOMIC);
  }

  private static Actor actor(String operation, Object... args) {
    for (Method method : StaleFillModel.class.getMethods()) {
      if (method.getName().equals(operation)) {
        return new Actor(method, List.of(args));
      }
    }
    throw new IllegalArgumentException("StaleFillModel has no operation " + operation);
  }
}
