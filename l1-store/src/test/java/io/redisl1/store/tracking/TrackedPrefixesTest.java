package io.redisl1.store.tracking;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrackedPrefixesTest {
  @Test
  void keepsOnlyTheShortestOfEachFamily() {
    assertEquals(List.of("a:", "user:"), cover("user:", "user:session:", "a:", "a:b", "user:x"));
  }

  @Test
  void anEmptyPrefixMeansEveryKey() {
    assertEquals(List.of(), cover("user:", "", "__redisl1:canary:1:"));
  }

  @Test
  void prefixesThatOnlyShareCharactersStay() {
    assertEquals(List.of("ab", "ac"), cover("ab", "ac"));
  }

  private static List<String> cover(String... prefixes) {
    return TrackedPrefixes.minimalCover(
            List.of(prefixes).stream().map(p -> p.getBytes(UTF_8)).collect(Collectors.toList()))
        .stream()
        .map(p -> new String(p, UTF_8))
        .sorted()
        .collect(Collectors.toList());
  }
}
