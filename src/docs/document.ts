import { componentize, type JsonObject } from './components.ts';
import { applyExamples, type RecordedExamples } from './examples.ts';
import { gettingStarted } from './guide.ts';
import recorded from './recorded-examples.json' with { type: 'json' };
import { REFERENCE_PARTS, type ReferencePart, referencePart } from './split.ts';

const examples = recorded as RecordedExamples;

/**
 * The finished OpenAPI document: @fastify/swagger's output with named schemas in components, the
 * recorded examples, and the getting-started guide as its description. Returns a new object.
 */
export function finishDocument(generated: unknown): JsonObject {
  const document = componentize(JSON.parse(JSON.stringify(generated)) as JsonObject);
  applyExamples(document, examples);
  document.info = { ...(document.info as JsonObject), description: gettingStarted(examples) };
  return document;
}

/** One of the reference's two documents, cut from the finished one, with its audience's guide. */
export function referenceDocument(document: JsonObject, part: ReferencePart): JsonObject {
  const { title } = REFERENCE_PARTS.find((candidate) => candidate.part === part)!;
  return referencePart(document, part, {
    ...(document.info as JsonObject),
    title: `Nexus ${title}`,
    description: gettingStarted(examples, part),
  });
}
