package io.redisl1.store.tracking;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void coveredWhenEveryWantedPrefixStartsWithATrackedOne() {
    assertTrue(TrackedPrefixes.covers(bytes("user:", "a:"), bytes("user:x:", "a:")));
    assertTrue(TrackedPrefixes.covers(List.of(), bytes("anything:")), "every key is tracked");
    assertFalse(TrackedPrefixes.covers(bytes("user:"), bytes("user:", "item:")), "item: is new");
    assertFalse(TrackedPrefixes.covers(bytes("user:x:"), bytes("user:")), "user: is wider than user:x:");
    assertFalse(TrackedPrefixes.covers(bytes("user:"), List.of()), "every key is wanted");
  }

  private static List<byte[]> bytes(String... prefixes) {
    return List.of(prefixes).stream().map(p -> p.getBytes(UTF_8)).collect(Collectors.toList());
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
