package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.sync.RedisStringCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.redisl1.instrumentation.lettuce.support.L1Carrier;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import io.redisl1.store.AsciiKeys;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The shortest Lettuce hit path, on {@code FutureSyncInvocationHandler#handleInvocation}, which
 * every call of a standalone connection's {@code sync()} API passes through: a {@code get(key)}
 * the L1 can answer is answered before Lettuce builds its command and future, where {@link
 * DispatchAdvice} would answer it after. Only on the connections that have a session, and exactly
 * where the dispatch would answer (no transaction, open, not holding commands back; the session
 * decides the rest); the value is decoded by the connection's own codec, as the command's output
 * would. A miss is not counted here: the GET goes on to dispatch, which looks again and counts it.
 */
final class SyncGetAdvice {
  private SyncGetAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "unchecked"})
  static Object answerFromL1(
      @Advice.Argument(1) Method method,
      @Advice.Argument(2) Object[] args,
      @Advice.FieldValue("connection") Object connection) {
    try {
      if (args == null
          || args.length != 1
          || args[0] == null // Lettuce's own "Key must not be null" follows
          || !(connection instanceof L1Carrier)
          || method.getDeclaringClass() != RedisStringCommands.class
          || !method.getName().equals("get")) {
        return null;
      }
      LettuceConnectionL1 l1 = ((L1Carrier) connection).redisl1$l1();
      L1Runtime runtime = L1Runtime.current();
      StatefulRedisConnectionImpl<?, ?> c = (StatefulRedisConnectionImpl<?, ?>) connection;
      if (l1 == null || runtime == null || c.isMulti() || !c.isOpen()) {
        return null;
      }
      RedisCodec codec = c.getCodec();
      Object key = args[0];
      boolean utf8Text = codec == StringCodec.UTF8 && key instanceof String;
      L1Entry entry = utf8Text ? l1.peekAscii(runtime, (String) key) : null;
      if (entry == null && (!utf8Text || !AsciiKeys.isAscii((String) key))) {
        entry = l1.peek(runtime, codec.encodeKey(key)); // scanned twice only when it missed
      }
      if (entry == null) {
        return null;
      }
      Object value = entry.decodedBy(codec);
      if (value == null && entry.value() != null) {
        value = codec.decodeValue(ByteBuffer.wrap(entry.value()).asReadOnlyBuffer());
        if (value instanceof String) {
          runtime.store().rememberDecoded(entry, codec, (String) value); // immutable: safe to share
        }
      }
      return value == null ? LettuceConnectionL1.NIL_HIT : value;
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce sync get", t);
      return null;
    }
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void returnHit(
      @Advice.Enter Object hit,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
    if (hit != null) {
      returned = hit == LettuceConnectionL1.NIL_HIT ? null : hit;
    }
  }
}
