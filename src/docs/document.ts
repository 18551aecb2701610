import { componentize, type JsonObject } from './components.ts';
import { applyExamples, type RecordedExamples } from './examples.ts';
import { gettingStarted } from './guide.ts';
import recorded from './recorded-examples.json' with { type: 'json' };

/**
 * The finished OpenAPI document: @fastify/swagger's output with named schemas in components, the
 * recorded examples, and the getting-started guide as its description. Returns a new object.
 */
export function finishDocument(generated: unknown): JsonObject {
  const document = componentize(JSON.parse(JSON.stringify(generated)) as JsonObject);
  applyExamples(document, recorded as RecordedExamples);
  document.info = {
    ...(document.info as JsonObject),
    description: gettingStarted(recorded as RecordedExamples),
  };
  return document;
}
