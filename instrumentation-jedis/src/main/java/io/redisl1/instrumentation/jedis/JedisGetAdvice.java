package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import redis.clients.jedis.Builder;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandObjects;

/**
 * The shortest hit path, on {@code Jedis#get(String)} and {@code Jedis#get(byte[])}: a GET the L1
 * can answer is answered before Jedis builds its command (the command objects cost more than the
 * lookup itself). Only where the key looked up is certainly the key the command would send, and
 * where Jedis itself would run the command: no transaction or pipeline open on this {@code Jedis}
 * (Jedis throws for those, and still does), the plain {@code CommandObjects} with no key
 * pre-processor. Anything else, and every miss, goes on to {@link ExecuteCommandAdvice}, which
 * decides again and counts the miss.
 */
final class JedisGetAdvice {
  private JedisGetAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static Object answerFromL1(
      @Advice.Argument(0) Object key,
      @Advice.FieldValue("connection") Object connection,
      @Advice.FieldValue("transaction") Object transaction,
      @Advice.FieldValue("pipeline") Object pipeline,
      @Advice.FieldValue("commandObjects") Object commandObjects) {
    try {
      if (key == null
          || transaction != null
          || pipeline != null
          || !(connection instanceof JedisStateCarrier)
          || commandObjects == null
          || commandObjects.getClass() != CommandObjects.class
          || JedisKeyPreProcessor.isSet(commandObjects)) {
        return null;
      }
      JedisConnectionState state = ((JedisStateCarrier) connection).redisl1$state();
      if (state == null) {
        return null;
      }
      boolean text = key instanceof String;
      // A String key is looked up as the UTF-8 bytes Jedis would send, without encoding it here.
      L1Entry entry = text ? state.peek((String) key) : state.peek((byte[]) key);
      if (entry == null) {
        return null;
      }
      Builder<?> builder = text ? BuilderFactory.STRING : BuilderFactory.BINARY;
      Object value = entry.decodedBy(builder);
      if (value == null) {
        byte[] raw = entry.value();
        value = builder.build(raw == null ? null : raw.clone());
        if (value instanceof String) {
          L1Runtime runtime = L1Runtime.current();
          if (runtime != null) {
            runtime.store().rememberDecoded(entry, builder, (String) value);
          }
        }
      }
      return value == null ? NilReply.INSTANCE : value;
    } catch (Throwable t) {
      L1Runtime.failed("Jedis get", t);
      return null;
    }
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void returnHit(
      @Advice.Enter Object hit,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
    if (hit != null) {
      returned = hit == NilReply.INSTANCE ? null : hit;
    }
  }
}
