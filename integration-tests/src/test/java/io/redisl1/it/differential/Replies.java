package io.redisl1.it.differential;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A reply as one comparable line, whatever client type carried it. Replies whose order Redis does
 * not define (set and hash contents) are sorted; remaining times to live, which depend on how fast
 * the run went, are kept only as their sign ({@code T} for any time left, -1 and -2 as they are).
 */
final class Replies {
  private static final Set<String> UNORDERED = Set.of("SMEMBERS", "HGETALL", "HKEYS", "HVALS");
  private static final Set<String> TIME_LEFT = Set.of("TTL", "PTTL");

  private Replies() {}

  static String render(String command, Callable<?> call) {
    Object reply;
    try {
      reply = call.call();
    } catch (Exception e) {
      reply = e;
    }
    return render(command, reply);
  }

  /** EXEC's reply, one element per queued command, each rendered as that command's reply. */
  static String renderTransaction(List<List<String>> commands, Callable<?> exec) {
    List<?> results;
    try {
      results = (List<?>) exec.call();
    } catch (Exception e) {
      return "EXEC " + render("EXEC", e);
    }
    if (results == null) {
      return "EXEC nil";
    }
    List<String> rendered = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      String command = i < commands.size() ? commands.get(i).get(0) : "?";
      rendered.add(render(command, results.get(i)));
    }
    return "EXEC " + rendered;
  }

  static String render(String command, Object reply) {
    String text = plain(reply, UNORDERED.contains(command));
    return TIME_LEFT.contains(command) ? text.replaceAll("(?<![-\\d])\\d+", "T") : text;
  }

  private static String plain(Object reply, boolean unordered) {
    if (reply == null) {
      return "nil";
    }
    if (reply instanceof Throwable t) {
      String message = String.valueOf(t.getMessage());
      int eol = message.indexOf('\n');
      return "error(" + t.getClass().getSimpleName() + ": " + (eol < 0 ? message : message.substring(0, eol)) + ")";
    }
    if (reply instanceof byte[] bytes) {
      return '"' + new String(bytes, StandardCharsets.UTF_8) + '"';
    }
    if (reply instanceof CharSequence s) {
      return '"' + s.toString() + '"';
    }
    if (reply instanceof Map<?, ?> map) {
      List<String> entries = new ArrayList<>();
      map.forEach((k, v) -> entries.add(plain(k, false) + "=" + plain(v, false)));
      entries.sort(null);
      return "{" + String.join(", ", entries) + "}";
    }
    if (reply instanceof Collection<?> items) {
      List<String> elements = new ArrayList<>();
      for (Object item : items) {
        elements.add(plain(item, unordered));
      }
      if (unordered || reply instanceof Set) {
        elements.sort(null);
      }
      return "[" + String.join(", ", elements) + "]";
    }
    return reply.toString();
  }
}
