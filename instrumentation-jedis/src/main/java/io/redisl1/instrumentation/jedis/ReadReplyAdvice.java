package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Runtime;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import redis.clients.jedis.Connection;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * After {@code Connection#readProtocolWithCheckingBroken()}, through which Jedis reads every reply:
 * pairs the reply with the oldest command awaiting one. An error reply arrives as a thrown {@link
 * JedisDataException}; any other exception means the connection can no longer be trusted. A PTTL
 * the agent wrote behind a GET is read right after the GET's reply, so Jedis never sees it.
 */
final class ReadReplyAdvice {
  private ReadReplyAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void afterRead(
      @Advice.This Connection connection,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object reply,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue(JedisInstrumentationModule.STATE_FIELD) JedisConnectionState state) {
    try {
      if (state != null) {
        state.replyRead(reply, thrown, thrown instanceof JedisDataException);
        if (state.ttlReplyNext()) {
          try {
            // The agent's PTTL behind this GET: read now, through this same method (whose advice
            // hands it to the state), so the application's next read gets its own reply.
            connection.getOne();
          } catch (RuntimeException e) {
            // Refused (ACL, renamed command) or lost: the state fills nothing. The GET's own
            // reply or error still reaches the application as is.
          }
        }
      }
    } catch (Throwable t) {
      L1Runtime.failed("Jedis reply", t);
    }
  }
}
