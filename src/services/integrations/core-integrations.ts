import { Readable } from 'node:stream';
import Joi from 'joi';
import type { Actor } from '../../context';
import { validate } from '../../crud/validation';
import { AppError, NotFoundError } from '../../errors';
import type { DocumentService } from '../documents/document-service';
import { receive } from '../files/receive';
import type { EmailService } from '../mail/email-service';
import type { Storage } from '../storage/storage';
import type { DataExtractor, Extraction } from './data-extractor';
import { documentIdOf } from './file-refs';
import type { LlmClient } from './llm-client';

type Body = Record<string, unknown>;

const signedUrlRequest = Joi.object({
  file_uri: Joi.string().max(2000).required(),
  // S3 presigned links last at most a week.
  expires_in: Joi.number().integer().min(1).max(604_800).default(300),
});
const emailRequest = Joi.object({
  to: Joi.alternatives(Joi.string(), Joi.array().items(Joi.string())).required(),
  subject: Joi.string().max(255).required(),
  body: Joi.string().max(500_000).required(),
  from_name: Joi.string().max(100),
});
const llmRequest = Joi.object({
  prompt: Joi.string().max(200_000).required(),
  response_json_schema: Joi.object().unknown(true),
  // A hint Base44 passes to its own models; a plain chat completion has no browsing to turn on.
  add_context_from_internet: Joi.boolean(),
  file_urls: Joi.forbidden().messages({
    'any.unknown': 'InvokeLLM here takes a prompt only: "file_urls" is not supported',
  }),
});
const imageRequest = Joi.object({ prompt: Joi.string().max(32_000).required() });

const HTML = /<[a-z][\s\S]*>/i;

export interface IntegrationUploads {
  maxBytes: number;
  allowedTypes: ReadonlySet<string>;
}

/**
 * Base44's Core integrations (`integration-endpoints/Core/<Name>`) over this server's services: files are
 * Documents (with their permissions and storage limits), email goes through the email service and is
 * recorded, and the language and image models are an OpenAI-compatible endpoint when one is configured.
 */
export class CoreIntegrations {
  constructor(
    private readonly documents: DocumentService,
    private readonly emails: EmailService,
    private readonly extractor: DataExtractor,
    private readonly llm: LlmClient | undefined,
    private readonly storage: Storage,
    private readonly uploads: IntegrationUploads,
    private readonly publicUrl: string,
  ) {}

  /** A link to a stored file (private or public) that works without a token until it expires. */
  async signedUrl(actor: Actor, input: unknown): Promise<{ signed_url: string }> {
    const { file_uri, expires_in } = validate(signedUrlRequest, (input ?? {}) as Body, {
      entityName: 'signed URL request',
      stripUnknown: true,
    }) as { file_uri: string; expires_in: number };
    const id = documentIdOf(file_uri, this.publicUrl);
    if (!id)
      throw new NotFoundError('No file stored here has this file_uri: pass one UploadPrivateFile returned');
    return { signed_url: (await this.documents.downloadUrl(actor, id, expires_in)).url };
  }

  /** `body` is HTML when it has tags, else plain text; the message is recorded in Email like any other. */
  async sendEmail(
    actor: Actor,
    input: unknown,
  ): Promise<{ success: true; email_id: unknown; status: unknown }> {
    const { to, subject, body, from_name } = validate(emailRequest, (input ?? {}) as Body, {
      entityName: 'email',
      stripUnknown: true,
    }) as { to: string | string[]; subject: string; body: string; from_name?: string };
    const sent = await this.emails.send(actor, {
      to,
      subject,
      ...(HTML.test(body) ? { html: body } : { text: body }),
      ...(from_name ? { from_name } : {}),
    });
    return { success: true, email_id: sent.id, status: sent.status };
  }

  extract(actor: Actor, input: unknown): Promise<Extraction> {
    return this.extractor.extract(actor, input);
  }

  async invokeLLM(input: unknown): Promise<unknown> {
    const llm = this.configured('InvokeLLM');
    const { prompt, response_json_schema } = validate(llmRequest, (input ?? {}) as Body, {
      entityName: 'InvokeLLM request',
      stripUnknown: true,
    }) as { prompt: string; response_json_schema?: Body };
    return llm.chat(prompt, response_json_schema);
  }

  /** An image the provider returns as bytes is stored as a public Document, so its link lasts. */
  async generateImage(actor: Actor, input: unknown): Promise<{ url: string }> {
    const llm = this.configured('GenerateImage');
    const { prompt } = validate(imageRequest, (input ?? {}) as Body, {
      entityName: 'GenerateImage request',
      stripUnknown: true,
    }) as { prompt: string };
    const image = await llm.image(prompt);
    if ('url' in image) return image;
    const originalName = 'generated-image.png';
    const file = await receive(Readable.from([image.bytes]), {
      storage: this.storage,
      key: this.documents.newKey(actor.organizationId),
      filename: originalName,
      ...this.uploads,
    });
    const doc = await this.documents.attach(actor, { ...file, originalName }, { is_private: false });
    return { url: this.documents.publicUrl(doc.id as string) };
  }

  private configured(name: string): LlmClient {
    if (!this.llm) {
      throw new AppError(
        501,
        'NOT_CONFIGURED',
        `${name} needs a language model: this server has none configured (set LLM_BASE_URL to an OpenAI-compatible API)`,
      );
    }
    return this.llm;
  }
}

/** The request schemas, for the OpenAPI document (src/http/openapi). */
export {
  signedUrlRequest as signedUrlRequestSchema,
  emailRequest as emailRequestSchema,
  llmRequest as llmRequestSchema,
  imageRequest as imageRequestSchema,
};
