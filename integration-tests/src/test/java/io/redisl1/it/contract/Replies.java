package io.redisl1.it.contract;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Client replies as the contract compares them: text as String, integers as Long, arrays as List. */
final class Replies {
  private Replies() {}

  static Object normalize(Object reply) {
    if (reply instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (reply instanceof ByteBuffer buffer) {
      return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
    if (reply instanceof Integer i) {
      return i.longValue();
    }
    if (reply instanceof java.util.Map<?, ?> map) { // RESP3 maps (HELLO on a RESP3 connection)
      java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(normalize(k), normalize(v)));
      return out;
    }
    if (reply instanceof java.util.Map.Entry<?, ?> entry) { // Jedis 8 gives RESP3 maps as KeyValue lists
      return List.of(normalize(entry.getKey()), normalize(entry.getValue()));
    }
    if (reply instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(normalize(item));
      }
      return out;
    }
    return reply;
  }
}
