package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Runtime;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.args.RawableFactory;
import redis.clients.jedis.util.RedisOutputStream;

/**
 * Around {@code Connection#sendCommand(CommandArguments)}, which every command on the wire passes
 * through (pipelines and MULTI included): hands the command to the session so writes invalidate and
 * GETs can fill. The read token is taken before any byte is written; the command is classified
 * after, once the connection is known to be up.
 *
 * <p>A GET of {@code executeCommand} that may fill gets a {@code PTTL} of its key written right
 * behind it into the same buffer, so both leave in the one flush Jedis does before reading the
 * GET's reply: the key's remaining TTL costs no round trip. It goes straight to {@code
 * Protocol.sendCommand}, so neither this advice nor the application sees it as a command.
 */
final class SendCommandAdvice {
  private SendCommandAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void beforeSend(
      @Advice.FieldValue(value = JedisInstrumentationModule.STATE_FIELD, readOnly = false)
          JedisConnectionState state) {
    try {
      if (state == null) {
        state = new JedisConnectionState();
      }
      state.beforeSend();
    } catch (Throwable t) {
      L1Runtime.failed("Jedis sendCommand", t);
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void afterSend(
      @Advice.Argument(0) CommandArguments args,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue("outputStream") RedisOutputStream out,
      @Advice.FieldValue(JedisInstrumentationModule.STATE_FIELD) JedisConnectionState state) {
    try {
      if (state == null) {
        return;
      }
      byte[][] argv = new byte[args.size()][];
      int i = 0;
      for (Rawable arg : args) {
        argv[i++] = arg.getRaw();
      }
      byte[] ttlKey = state.afterSend(argv, thrown != null);
      if (ttlKey != null) {
        boolean written = false;
        try {
          // add(Object): the overload every Jedis 4.x+ has.
          Protocol.sendCommand(
              out, new CommandArguments(Protocol.Command.PTTL).add((Object) RawableFactory.from(ttlKey)));
          written = true;
        } catch (RuntimeException e) {
          // The socket failed under the PTTL; Jedis's own flush of the GET will say so.
        } finally {
          state.ttlSent(!written);
        }
      }
    } catch (Throwable t) {
      L1Runtime.failed("Jedis sendCommand", t);
    }
  }
}
