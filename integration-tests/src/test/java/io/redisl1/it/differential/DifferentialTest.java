package io.redisl1.it.differential;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent changes no reply: seeded random command sequences over two Jedis and two Lettuce
 * connections (every data type, expiry, pipelines, MULTI/EXEC, SELECT, SWAPDB, FLUSHDB/FLUSHALL)
 * are run once without the agent and once under it, each against fresh redis-servers, and compared
 * reply by reply. Every key is cached for minutes, so every GET that may be answered from the L1
 * is.
 *
 * <p>CI runs seeds 1-6 with 250 steps each. More: {@code -Dredisl1.differential=long} (100 seeds
 * from a time-based start, 500 steps), or pick with {@code -Dredisl1.differential.seed=N}
 * (first seed), {@code .seeds=N} and {@code .steps=N}, e.g.
 * {@code ./mvnw -B -pl integration-tests -am verify -Dtest=DifferentialTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dredisl1.differential.seed=42 -Dredisl1.differential.seeds=1}.
 * A failure names its seed and a shrunk sequence that still fails, with both runs' replies.
 */
class DifferentialTest {
  private static final boolean LONG = "long".equals(System.getProperty("redisl1.differential"));
  private static final Duration SHRINK_BUDGET = Duration.ofSeconds(LONG ? 900 : 300);

  @Test
  void everyReplyUnderTheAgentIsTheOneRedisGaveWithoutIt() throws Exception {
    long firstSeed = Long.getLong("redisl1.differential.seed", LONG ? System.currentTimeMillis() % 1_000_000 : 1);
    int seeds = Integer.getInteger("redisl1.differential.seeds", LONG ? 100 : 6);
    int steps = Integer.getInteger("redisl1.differential.steps", LONG ? 500 : 250);
    System.out.printf("differential: seeds %d..%d, %d steps each%n", firstSeed, firstSeed + seeds - 1, steps);
    List<List<Step>> sequences = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      sequences.add(StepGenerator.steps(firstSeed + i, steps));
    }
    Duration timeout = Duration.ofSeconds(120 + (long) seeds * steps / 20);

    DifferentialRun.Replies plain = DifferentialRun.run(false, sequences, timeout);
    DifferentialRun.Replies agent = DifferentialRun.run(true, sequences, timeout);

    assertTrue(!agent.stderr().contains("ERROR"), () -> "the agent reported an error:\n" + agent.stderr());
    long plainGets = plain.serverGets().stream().mapToLong(Long::longValue).sum();
    long agentGets = agent.serverGets().stream().mapToLong(Long::longValue).sum();
    assertTrue(agentGets < plainGets, "the L1 answered no GET (" + agentGets + " of " + plainGets + " reached Redis)");
    System.out.printf("differential: %d of %d GETs reached Redis under the agent%n", agentGets, plainGets);

    List<Long> failingSeeds = new ArrayList<>();
    int firstFailure = -1;
    for (int i = 0; i < seeds; i++) {
      if (firstMismatch(plain.steps().get(i), agent.steps().get(i)) >= 0) {
        failingSeeds.add(firstSeed + i);
        firstFailure = firstFailure < 0 ? i : firstFailure;
      }
    }
    if (firstFailure >= 0) {
      int at = firstMismatch(plain.steps().get(firstFailure), agent.steps().get(firstFailure));
      List<Step> failing = sequences.get(firstFailure).subList(0, at + 1);
      fail("replies differ under the agent for seeds " + failingSeeds + "; seed " + (firstSeed + firstFailure)
          + " first at step " + at + ":\n" + report(failing.subList(at, at + 1), plain.steps().get(firstFailure).subList(at, at + 1),
              agent.steps().get(firstFailure).subList(at, at + 1))
          + "\n" + shrunk(failing, timeout));
    }
  }

  /** Shrinks and re-runs the minimal sequence, for a report that needs nothing else to reproduce. */
  private String shrunk(List<Step> failing, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + SHRINK_BUDGET.toNanos();
    List<Step> minimal = Shrinker.shrink(failing, candidates -> {
      DifferentialRun.Replies plain = DifferentialRun.run(false, candidates, timeout);
      DifferentialRun.Replies agent = DifferentialRun.run(true, candidates, timeout);
      List<Integer> mismatches = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        mismatches.add(firstMismatch(plain.steps().get(i), agent.steps().get(i)));
      }
      return mismatches;
    }, deadline);
    DifferentialRun.Replies plain = DifferentialRun.run(false, List.of(minimal), timeout);
    DifferentialRun.Replies agent = DifferentialRun.run(true, List.of(minimal), timeout);
    String replay = report(minimal, plain.steps().get(0), agent.steps().get(0));
    if (firstMismatch(plain.steps().get(0), agent.steps().get(0)) < 0) {
      return "the shrunk sequence (" + minimal.size() + " steps) passed when re-run (flaky?):\n" + replay;
    }
    return "shrunk to " + minimal.size() + " steps (" + (System.nanoTime() > deadline ? "shrinking ran out of time" : "minimal") + "):\n" + replay;
  }

  private static String report(List<Step> steps, List<String> plain, List<String> agent) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < steps.size(); i++) {
      String without = i < plain.size() ? reply(plain.get(i)) : "(none)";
      String with = i < agent.size() ? reply(agent.get(i)) : "(none)";
      text.append("  ").append(steps.get(i)).append("\n      without agent: ").append(without);
      text.append(without.equals(with) ? "" : "\n      UNDER AGENT:   " + with).append('\n');
    }
    return text.toString();
  }

  /** A reply line without its step number. */
  private static String reply(String line) {
    return line.substring(line.indexOf(' ') + 1);
  }

  private static int firstMismatch(List<String> plain, List<String> agent) {
    for (int i = 0; i < Math.max(plain.size(), agent.size()); i++) {
      if (i >= plain.size() || i >= agent.size() || !plain.get(i).equals(agent.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
