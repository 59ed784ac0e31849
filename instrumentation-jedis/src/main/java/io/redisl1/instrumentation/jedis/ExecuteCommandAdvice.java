package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import java.util.Iterator;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import redis.clients.jedis.Builder;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;

/**
 * The hit path, on {@code Connection#executeCommand(CommandObject)}, which every non-pipelined
 * command of {@code Jedis}, {@code JedisPooled} and {@code UnifiedJedis} runs through. A GET the L1
 * can answer skips the method body, so nothing is written to the socket, and returns what Jedis's
 * own reply builder makes of the cached bytes.
 *
 * <p>Decoding allocates, so the first decoded {@code String} is remembered on the entry and handed
 * to every later hit with the same builder; any other type is built from a fresh copy of the bytes,
 * since the application may mutate a {@code byte[]} it receives.
 */
final class ExecuteCommandAdvice {
  private ExecuteCommandAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static Object answerFromL1(
      @Advice.Argument(0) CommandObject<?> command,
      @Advice.FieldValue(JedisInstrumentationModule.STATE_FIELD) JedisConnectionState state) {
    try {
      if (state == null) {
        return null;
      }
      CommandArguments args = command.getArguments();
      if (args.getCommand() != Protocol.Command.GET || args.size() != 2) {
        return null;
      }
      Iterator<Rawable> it = args.iterator();
      it.next();
      byte[] key = it.next().getRaw();
      L1Entry entry = state.lookup(key);
      if (entry == null) {
        state.missed(key); // to Redis, with a PTTL behind it if the reply may fill
        return null;
      }
      Builder<?> builder = command.getBuilder();
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
      L1Runtime.failed("Jedis executeCommand", t);
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
