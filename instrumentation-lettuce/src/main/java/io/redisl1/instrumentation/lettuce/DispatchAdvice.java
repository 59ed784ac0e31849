package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import io.redisl1.instrumentation.lettuce.support.LettuceSupport;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code StatefulRedisConnectionImpl#dispatch(RedisCommand)}, which sync, async and reactive
 * commands (and Spring Data Redis) all pass through on the caller's thread.
 *
 * <p>A GET the L1 can answer is completed right here: the cached bytes go through the command's
 * own output, so the connection's codec decodes them exactly as it would a reply, and the method
 * body is skipped, so nothing is written. Every other command is told to the session before it is
 * written (writes invalidate now, while the caller still waits) and its reply is hooked.
 */
final class DispatchAdvice {
  private DispatchAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "unchecked"})
  static Object enter(
      @Advice.This StatefulRedisConnectionImpl<?, ?> connection,
      @Advice.Argument(0) RedisCommand<?, ?, ?> command,
      @Advice.FieldValue(LettuceInstrumentationModule.STATE_FIELD) LettuceConnectionL1 l1,
      @Advice.Local("redisl1Reply") CommandReply reply) {
    reply = null;
    try {
      L1Runtime runtime = L1Runtime.current();
      if (l1 == null || runtime == null || command == null) {
        return null;
      }
      CommandOutput output = command.getOutput();
      CommandArgs<?, ?> args = command.getArgs();
      if (output != null
          && output.getClass() == ValueOutput.class
          && args != null
          && args.count() == 1
          && "GET".equals(command.getType().toString())
          && !connection.isMulti()) {
        L1Entry entry = l1.lookup(runtime, args.getFirstEncodedKey());
        if (entry != null) {
          byte[] value = entry.value();
          output.set(value == null ? null : ByteBuffer.wrap(value).asReadOnlyBuffer());
          command.complete();
          return command;
        }
      }
      // Known risk: this encodes the command a second time, so the codec encodes keys and values
      // twice. Lettuce's codecs return fresh buffers; a custom codec handing out one shared
      // ByteBuffer would see it drained here. Fix: read keys only (values are never needed).
      ByteBuf buf = Unpooled.buffer();
      byte[] resp;
      try {
        command.encode(buf);
        resp = new byte[buf.readableBytes()];
        buf.readBytes(resp);
      } finally {
        buf.release();
      }
      byte[][] argv = LettuceSupport.argv(resp);
      if (argv == null) {
        l1.session().detach("a Lettuce command that could not be read back");
        return null;
      }
      reply = l1.sent(argv);
      if (reply != null) {
        if (output instanceof ReplyCarrier) {
          ((ReplyCarrier) output).redisl1$reply(reply);
        }
        if (command instanceof CompleteableCommand) {
          ((CompleteableCommand) command).onComplete(reply);
        } else if (output == null) {
          reply.abandoned(); // no reply will ever be matched to it
        }
      }
      return null;
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce dispatch", t);
      return null;
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object hit,
      @Advice.Local("redisl1Reply") CommandReply reply,
      @Advice.Thrown Throwable thrown,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
    if (hit != null) {
      returned = hit;
    } else if (thrown != null && reply != null) {
      reply.abandoned(); // e.g. "Connection is closed": nothing was queued
    }
  }
}
