package io.redisl1.it.contract;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A Lettuce output that takes any reply, for raw commands: status and bulk as String (UTF-8),
 * integer as Long, array as List, nested as deep as the reply. Lettuce's own ObjectOutput cannot
 * hold a top-level scalar reply, and Spring's default output for untyped commands takes bytes only.
 */
final class AnyReplyOutput<K, V> extends CommandOutput<K, V, Object> {
  /** Arrays still being filled, innermost first, each with how many elements it still expects. */
  private final Deque<Open> open = new ArrayDeque<>();

  private static final class Open {
    final List<Object> items;
    int remaining;

    Open(List<Object> items, int remaining) {
      this.items = items;
      this.remaining = remaining;
    }
  }

  AnyReplyOutput(RedisCodec<K, V> codec) {
    super(codec, null);
  }

  @Override
  public void set(ByteBuffer bytes) {
    add(bytes == null ? null : StandardCharsets.UTF_8.decode(bytes).toString());
  }

  @Override
  public void set(long integer) {
    add(integer);
  }

  @Override
  public void set(double number) {
    add(number);
  }

  @Override
  public void set(boolean value) {
    add(value);
  }

  @Override
  public void multi(int count) {
    List<Object> items = new ArrayList<>(Math.max(count, 0));
    add(items);
    open.push(new Open(items, count));
    closeFinished();
  }

  private void add(Object value) {
    if (open.isEmpty()) {
      output = value;
      return;
    }
    Open current = open.peek();
    current.items.add(value);
    current.remaining--;
    if (!(value instanceof List)) {
      closeFinished();
    }
  }

  private void closeFinished() {
    while (!open.isEmpty() && open.peek().remaining <= 0) {
      open.pop();
    }
  }
}
