package com.ingestrouter.rabbit;

import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;
import org.springframework.retry.policy.NeverRetryPolicy;
import org.springframework.retry.support.RetryTemplate;

/**
 * The retry advice of a camel-spring-rabbitmq consumer ({@code retry=#class:...}). Camel otherwise
 * builds one without a recoverer unless {@code rejectAndDontRequeue=true}, and Spring AMQP's default
 * then logs "Message(s) dropped on recovery" and acks: an error leaving the route (a dead letter that
 * could not be stored while stopping) lost the message. Here it goes back to the queue instead. The
 * route does its own retrying, so the advice never retries.
 */
public final class RequeueOnFailure extends RetryOperationsInterceptor {
    public RequeueOnFailure() {
        RetryTemplate never = new RetryTemplate();
        never.setRetryPolicy(new NeverRetryPolicy());
        setRetryOperations(never);
        setRecoverer((args, cause) -> {
            throw new ImmediateRequeueAmqpException("route failed; message requeued, not acked", cause);
        });
    }
}
