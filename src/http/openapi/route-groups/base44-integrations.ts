import {
  emailRequestSchema,
  imageRequestSchema,
  llmRequestSchema,
  signedUrlRequestSchema,
} from '../../../services/integrations/core-integrations';
import { extractionRequestSchema } from '../../../services/integrations/data-extractor';
import { joiToJsonSchema } from '../joi-schema';
import type { JsonSchema, ResponseDoc, RouteDoc, RouteGroup } from '../types';

const appId = { type: 'string', description: "The app's id" };
const body = (schema: Parameters<typeof joiToJsonSchema>[0]) =>
  joiToJsonSchema(schema, { stripsUnknown: true });
const upload: RouteDoc['body'] = {
  multipart: {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary' } },
  },
};
const uploadRefused: Partial<Record<number, ResponseDoc>> = {
  413: { description: 'Larger than UPLOAD_MAX_BYTES' },
  415: { description: 'A type UPLOAD_ALLOWED_TYPES does not allow (sniffed from the content)' },
};
const noModel: ResponseDoc = {
  description: 'No language model is configured (LLM_BASE_URL): `NOT_CONFIGURED`',
};
const object = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties });

/** `base44.integrations.Core.<Name>(...)` over this server's documents, email and an optional LLM endpoint. */
export const base44IntegrationRoutes: RouteGroup = {
  tag: 'Base44 integrations',
  description:
    "Base44's Core integrations: files are Documents (with their permissions and upload limits), email goes through the email service and is recorded, InvokeLLM and GenerateImage use an OpenAI-compatible endpoint when LLM_BASE_URL is set.",
  errors: { schema: 'Base44Error', validationStatus: 422 },
  routes: () => {
    const core = (name: string, r: Omit<RouteDoc, 'params' | 'method' | 'path'>): RouteDoc => ({
      ...r,
      method: 'post',
      path: `/api/apps/:appId/integration-endpoints/Core/${name}`,
      params: { appId },
    });
    return [
      core('UploadFile', {
        summary: 'Upload a file as a public Document',
        body: upload,
        responses: {
          200: {
            description: 'Its public link',
            schema: object({ file_url: { type: 'string', format: 'uri' } }),
          },
          ...uploadRefused,
        },
      }),
      core('UploadPrivateFile', {
        summary: 'Upload a file as a private Document',
        body: upload,
        responses: {
          200: {
            description: 'Its reference, for CreateFileSignedUrl and ExtractDataFromUploadedFile',
            schema: object({ file_uri: { type: 'string' } }),
          },
          ...uploadRefused,
        },
      }),
      core('CreateFileSignedUrl', {
        summary: 'A link to a stored file that works without a token until it expires',
        body: body(signedUrlRequestSchema),
        responses: {
          200: { description: 'The link', schema: object({ signed_url: { type: 'string', format: 'uri' } }) },
          404: { description: 'No file stored here has this `file_uri`, or the caller may not read it' },
        },
      }),
      core('SendEmail', {
        summary: 'Send an email (HTML when `body` has tags, else text), recorded as an Email',
        body: body(emailRequestSchema),
        responses: {
          200: {
            description: 'Sent or queued',
            schema: object({
              success: { const: true },
              email_id: { type: 'string', format: 'uuid' },
              status: { type: 'string' },
            }),
          },
        },
      }),
      core('ExtractDataFromUploadedFile', {
        summary:
          'Read the rows of an uploaded CSV, JSON, XLSX (or, with Textract, PDF) file, shaped by `json_schema`',
        description:
          'Only files stored on this server; why a file could not be read is in the body, not the status.',
        body: body(extractionRequestSchema),
        responses: {
          200: {
            description: 'The data, or why not',
            schema: object({
              status: { enum: ['success', 'error'] },
              details: { type: ['string', 'null'] },
              output: {},
            }),
          },
        },
      }),
      core('InvokeLLM', {
        summary: 'Ask the language model; with `response_json_schema` the answer is JSON of that shape',
        body: body(llmRequestSchema),
        responses: {
          200: { description: "The model's answer: a string, or an object of the asked shape", schema: {} },
          501: noModel,
        },
      }),
      core('GenerateImage', {
        summary: 'Generate an image; bytes the provider returns are stored as a public Document',
        body: body(imageRequestSchema),
        responses: {
          200: { description: 'The image', schema: object({ url: { type: 'string', format: 'uri' } }) },
          501: noModel,
        },
      }),
      {
        method: 'post',
        path: '/api/apps/:appId/integration-endpoints/*rest',
        summary: 'Any other integration: 404, naming the ones this server has',
        params: { appId, rest: { type: 'string', description: 'The integration (may contain /)' } },
        responses: { 404: { description: 'No such integration' } },
      },
    ];
  },
};
