// GraphQL over HTTP at /graphql (GET and POST), read-only, GraphiQL only in development.
import type { MikroORM } from '@mikro-orm/core';
import type { Producer } from '@repo/jobs';
import type { FastifyPluginAsync } from 'fastify';
import { containsUnstorableText, isUnstorableText } from '../text-guard.js';
import { apiError, badInput } from './errors.js';
import { getOperationAST, GraphQLError, visit, type DocumentNode, type ExecutionArgs } from './graphql-js.js';
import { createYoga, maskError, useExecutionCancellation, type Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE,
  isDatabaseUnavailable,
} from '../db-unavailable.js';
import { contextFactory, type GraphQLContext, type ServerContext } from './context.js';
import { checkCost, depthLimitRule, MAX_COST, MAX_DEPTH, MAX_TOKENS } from './limits.js';
import { schema } from './schema/index.js';

export const GRAPHQL_PATH = '/graphql';

/** Depth as a validation rule (static, cacheable); cost at execution, when variables are known. */
export function useQueryLimits(limits: {
  maxDepth: number;
  maxCost: number;
  maxTokens: number;
}): Plugin<GraphQLContext> {
  return {
    onParse({ parseFn, setParseFn }) {
      // graphql-js parses recursively: a few thousand nested selections overflow the stack (a
      // 500) before any validation rule runs. A token budget refuses them as a syntax error.
      setParseFn(
        (source, options) => parseFn(source, { ...options, maxTokens: limits.maxTokens }) as DocumentNode,
      );
    },
    onValidate({ addValidationRule }) {
      addValidationRule(depthLimitRule(limits.maxDepth));
    },
    onExecute({ args, setResultAndStopExecution }) {
      // envelop types these loosely; they are graphql-js execution args.
      const { schema: executable, document, operationName, variableValues } = args as ExecutionArgs;
      // Strings PostgreSQL can't take (a NUL, a lone surrogate), inline or in variables: bad input, not a 500.
      if (containsUnstorableText(variableValues ?? {}) || hasUnstorableLiteral(document)) {
        setResultAndStopExecution({
          errors: [badInput('The query contains text with a NUL character or a lone surrogate.')],
        });
        return;
      }
      const operation = getOperationAST(document, operationName);
      if (!operation) return;
      const error = checkCost(executable, document, operation, variableValues ?? {}, limits.maxCost);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

function hasUnstorableLiteral(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (isUnstorableText(node.value)) found = true;
    },
  });
  return found;
}

function pinoArgs(args: unknown[]): [{ err?: unknown }, string] {
  const err = args.find((a) => a instanceof Error);
  const text = args.filter((a): a is string => typeof a === 'string').join(' ');
  return [err === undefined ? {} : { err }, text || (err instanceof Error ? err.message : 'GraphQL')];
}

export interface GraphQLPluginOptions {
  orm: MikroORM;
  config: Pick<Config, 'env'>;
  producer: Pick<Producer, 'counts'>;
}

export const graphqlPlugin: FastifyPluginAsync<GraphQLPluginOptions> = async (
  app,
  { orm, config, producer },
) => {
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    // The full path: Yoga matches the request URL against it.
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: config.env === 'development',
    landingPage: false,
    context: contextFactory(orm, producer),
    // A database outage (in authentication or a resolver) is a 503 with a retry hint, not a masked 500.
    maskedErrors: {
      maskError(error, message, isDev) {
        const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
        if (!isDatabaseUnavailable(original)) return maskError(error, message, isDev);
        return apiError('SERVICE_UNAVAILABLE', DATABASE_UNAVAILABLE, {
          retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
          http: { status: 503, headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) } },
        });
      },
    },
    plugins: [
      useQueryLimits({ maxDepth: MAX_DEPTH, maxCost: MAX_COST, maxTokens: MAX_TOKENS }),
      useExecutionCancellation(),
    ],
    // Yoga logs strings and Error objects; as one pino array the Error serialized to {} (no
    // message, no stack). Errors go under `err`, strings become the message, anything else is
    // dropped (it could carry request details).
    logging: {
      debug: (...args) => app.log.debug(...pinoArgs(args)),
      info: (...args) => app.log.info(...pinoArgs(args)),
      warn: (...args) => app.log.warn(...pinoArgs(args)),
      error: (...args) => app.log.error(...pinoArgs(args)),
    },
  });

  app.route({
    url: yoga.graphqlEndpoint,
    method: ['GET', 'POST', 'OPTIONS'],
    // Return what Yoga answers; sending it by hand as well would send headers twice.
    handler: (req, reply) => yoga.handleNodeRequestAndResponse(req, reply, { req, reply }),
  });
};
