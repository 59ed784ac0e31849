package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.RedisCommand;
import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.instrumentation.lettuce.support.TtlProbe;
import io.redisl1.instrumentation.lettuce.support.WireCarrier;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.RedisSession;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code StatefulRedisConnectionImpl#dispatch(RedisCommand)}, which sync, async and reactive
 * commands (and Spring Data Redis) all pass through on the caller's thread.
 *
 * <p>A GET the L1 can answer is completed right here: the cached bytes go through the command's
 * own output, so the connection's codec decodes them exactly as it would a reply, and the method
 * body is skipped, so nothing is written.
 *
 * <p>Every other command gets a {@link CommandReply}, left on its innermost {@code Command} for
 * {@link EncodeAdvice} (which tells the session what the command does once Lettuce writes it) and
 * on its output and completion for the reply. A command not known to be read-only by its type
 * stops the connection's L1 answers before dispatch returns, so an un-awaited write is never
 * overtaken by a GET answered from the L1.
 *
 * <p>A GET that missed and may fill gets the agent's own {@code PTTL} of its key dispatched right
 * behind it, on the same connection, straight to the channel writer; its reply completes the fill
 * ({@link TtlProbe}) and never reaches the application, whose GET completes on its own reply. MULTI,
 * EXEC and DISCARD wait for such a pair to be written, so no transaction takes the PTTL in.
 *
 * <p>Nothing here encodes the command: that would run the
 * codec a second time, and a codec may hand out a value buffer that encoding drains.
 */
final class DispatchAdvice {
  private DispatchAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "unchecked"})
  static Object enter(
      @Advice.This StatefulRedisConnectionImpl<?, ?> connection,
      @Advice.Argument(0) RedisCommand<?, ?, ?> command,
      @Advice.FieldValue(LettuceInstrumentationModule.STATE_FIELD) LettuceConnectionL1 l1,
      @Advice.Local("redisl1Reply") CommandReply reply,
      @Advice.Local("redisl1Ttl") TtlProbe ttl,
      @Advice.Local("redisl1Paired") LettuceConnectionL1 paired) {
    reply = null;
    ttl = null;
    paired = null;
    try {
      L1Runtime runtime = L1Runtime.current();
      if (l1 == null || runtime == null || command == null) {
        return null;
      }
      CommandOutput output = command.getOutput();
      CommandArgs<?, ?> args = command.getArgs();
      byte[] ttlKey = null;
      if (output != null
          && output.getClass() == ValueOutput.class
          && args != null
          && args.count() == 1
          && "GET".equals(command.getType().toString())
          && !connection.isMulti()
          // Closed or reconnecting: without the agent the GET would fail or wait, so it goes on.
          && connection.isOpen()) {
        ByteBuffer key = args.getFirstEncodedKey();
        L1Entry entry = l1.lookup(runtime, key);
        if (entry != null) {
          byte[] value = entry.value();
          output.set(value == null ? null : ByteBuffer.wrap(value).asReadOnlyBuffer());
          command.complete();
          return command;
        }
        ttlKey = l1.ttlKeyFor(runtime, key);
      }
      byte[] type = command.getType().getBytes();
      if (ttlKey != null || LettuceConnectionL1.transactionBoundary(type)) {
        l1.pair();
        paired = l1;
        if (connection.isMulti()) {
          ttlKey = null; // a MULTI from another thread got in first
        }
      }
      reply = l1.dispatched(type);
      if (ttlKey != null) {
        ttl = reply.probeTtl(ttlKey);
      }
      RedisCommand<?, ?, ?> inner = CommandWrapper.unwrap((RedisCommand) command);
      if (inner instanceof WireCarrier) {
        ((WireCarrier) inner).redisl1$wire(reply);
      } else {
        // Not a Lettuce Command: its encode is not watched, so decide from its name alone.
        l1.session().detach("a Lettuce command of a type the agent does not know");
        reply.written(new byte[][] {command.getType().getBytes()}, RedisSession.readToken());
      }
      if (output instanceof ReplyCarrier) {
        ((ReplyCarrier) output).redisl1$reply(reply);
      }
      if (command instanceof CompleteableCommand) {
        ((CompleteableCommand) command).onComplete(reply);
      } else if (output == null) {
        reply.abandoned(); // no reply will ever be matched to it
      }
      return null;
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce dispatch", t);
      return null;
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.This StatefulRedisConnectionImpl<?, ?> connection,
      @Advice.Enter Object hit,
      @Advice.Local("redisl1Reply") CommandReply reply,
      @Advice.Local("redisl1Ttl") TtlProbe ttl,
      @Advice.Local("redisl1Paired") LettuceConnectionL1 paired,
      @Advice.Thrown Throwable thrown,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
    if (hit != null) {
      returned = hit;
    } else if (thrown != null && reply != null) {
      reply.abandoned(); // e.g. "Connection is closed": nothing was queued
    }
    try {
      if (ttl != null) {
        if (thrown != null) {
          ttl.accept(null, thrown);
        } else {
          // Straight to the channel writer, right behind the GET: Lettuce's dispatch (and so the
          // application's view of the connection) never sees it. Its own output and codec.
          AsyncCommand<byte[], byte[], Long> pttl =
              new AsyncCommand<>(
                  new Command<>(
                      CommandType.PTTL,
                      new IntegerOutput<>(ByteArrayCodec.INSTANCE),
                      new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(ttl.key())));
          pttl.whenComplete(ttl);
          connection.getChannelWriter().write(pttl);
        }
      }
    } catch (Throwable t) {
      ttl.accept(null, t); // not sent (closed, queue full): the GET fills nothing
    } finally {
      if (paired != null) {
        paired.unpair();
      }
    }
  }
}
