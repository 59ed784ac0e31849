package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.PoolScope;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import redis.clients.jedis.Builder;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandObjects;

/**
 * The pooled hit path at its shortest, on {@code UnifiedJedis#get(String)} and {@code get(byte[])}
 * ({@code JedisPooled}, {@code RedisClient}): answered before the command is built and before a
 * connection is borrowed, where the key looked up is certainly the key the command would send (the
 * plain {@code CommandObjects}, no key pre-processor). Anything else, and every miss, goes on to
 * {@link PooledHitAdvice} and the connection's own lookup, which counts the miss.
 */
final class UnifiedJedisGetAdvice {
  private UnifiedJedisGetAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static Object answerBeforeCommand(
      @Advice.Argument(0) Object key,
      @Advice.FieldValue("provider") Object provider,
      @Advice.FieldValue("commandObjects") Object commandObjects) {
    try {
      if (key == null
          || !(provider instanceof JedisPoolCarrier)
          || commandObjects == null
          || commandObjects.getClass() != CommandObjects.class
          || JedisKeyPreProcessor.isSet(commandObjects)) {
        return null;
      }
      PoolScope pool = ((JedisPoolCarrier) provider).redisl1$pool();
      L1Runtime runtime = L1Runtime.current();
      if (pool == null || runtime == null) {
        return null;
      }
      boolean text = key instanceof String;
      L1Entry entry = text ? pool.lookup(runtime, (String) key) : pool.lookup(runtime, (byte[]) key);
      if (entry == null) {
        return null;
      }
      Builder<?> builder = text ? BuilderFactory.STRING : BuilderFactory.BINARY;
      Object value = entry.decodedBy(builder);
      if (value == null) {
        byte[] raw = entry.value();
        value = builder.build(raw == null ? null : raw.clone());
        if (value instanceof String) {
          runtime.store().rememberDecoded(entry, builder, (String) value);
        }
      }
      return value == null ? NilReply.INSTANCE : value;
    } catch (Throwable t) {
      L1Runtime.failed("Jedis pooled get", t);
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
