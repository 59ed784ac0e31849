package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.redisl1.instrumentation.lettuce.support.L1Carrier;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import io.redisl1.instrumentation.lettuce.support.OutputAccess;
import io.redisl1.store.AsciiKeys;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code AbstractRedisAsyncCommands#get(key)}, the async API's GET: a GET the L1 can answer gets
 * its completed future here, before Lettuce builds the command's arguments and dispatches it,
 * where {@link DispatchAdvice} would complete the same kind of future after. The future is
 * Lettuce's own {@code AsyncCommand} around a GET {@code Command} whose output holds the value
 * the connection's codec makes of the cached bytes. Same conditions as {@link SyncGetAdvice}; a
 * miss goes on to dispatch, which looks again and counts it.
 */
final class AsyncGetAdvice {
  private AsyncGetAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "unchecked"})
  static Object answerFromL1(
      @Advice.Argument(0) Object key, @Advice.FieldValue("connection") Object connection) {
    try {
      if (key == null || !(connection instanceof L1Carrier)) {
        return null;
      }
      LettuceConnectionL1 l1 = ((L1Carrier) connection).redisl1$l1();
      L1Runtime runtime = L1Runtime.current();
      StatefulRedisConnectionImpl<?, ?> c = (StatefulRedisConnectionImpl<?, ?>) connection;
      if (l1 == null || runtime == null || c.isMulti() || !c.isOpen()) {
        return null;
      }
      RedisCodec codec = c.getCodec();
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
      ValueOutput output = new ValueOutput(codec);
      ((OutputAccess) output).redisl1$output(value);
      AsyncCommand future = new AsyncCommand(new Command(CommandType.GET, output));
      future.complete();
      return future;
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce async get", t);
      return null;
    }
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void returnHit(
      @Advice.Enter Object hit,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
    if (hit != null) {
      returned = hit;
    }
  }
}
