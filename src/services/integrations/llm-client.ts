import { AppError } from '../../errors';

export interface LlmOptions {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  imageModel: string;
  timeoutMs: number;
}

/** The parts of an OpenAI-compatible API's answers that are read. */
interface ChatAnswer {
  choices?: { message?: { content?: string | null } }[];
}
interface ImageAnswer {
  data?: { url?: string; b64_json?: string }[];
}

const upstream = (message: string) => new AppError(502, 'LLM_UPSTREAM_ERROR', message);

/** A chat and an image model behind an OpenAI-compatible HTTP API (OpenAI, Azure, vLLM, Ollama, ...). */
export class LlmClient {
  constructor(private readonly o: LlmOptions) {}

  /** The model's answer: text, or with a JSON schema the JSON object it describes. */
  async chat(prompt: string, schema?: Record<string, unknown>): Promise<unknown> {
    const answer = (await this.post('/chat/completions', {
      model: this.o.model,
      messages: [{ role: 'user', content: prompt }],
      ...(schema
        ? {
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'response', schema, strict: false },
            },
          }
        : {}),
    })) as ChatAnswer;
    const content = answer.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw upstream('The language model answered without any content');
    if (!schema) return content;
    try {
      // Some servers wrap JSON in a Markdown fence even when asked for JSON.
      return JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, '')) as unknown;
    } catch {
      throw upstream(
        'The language model was asked for JSON matching response_json_schema but answered with text',
      );
    }
  }

  /** One image: a link the provider hosts, or its bytes. */
  async image(prompt: string): Promise<{ url: string } | { bytes: Buffer }> {
    const answer = (await this.post('/images/generations', {
      model: this.o.imageModel,
      prompt,
      n: 1,
    })) as ImageAnswer;
    const first = answer.data?.[0];
    if (first?.b64_json) return { bytes: Buffer.from(first.b64_json, 'base64') };
    if (first?.url) return { url: first.url };
    throw upstream('The image model answered without an image');
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.o.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError')
        throw new AppError(
          504,
          'LLM_TIMEOUT',
          `The language model did not answer within ${this.o.timeoutMs} ms`,
        );
      throw new AppError(
        503,
        'LLM_UNAVAILABLE',
        'The language model endpoint (LLM_BASE_URL) cannot be reached',
      );
    }
    const text = await res.text();
    if (!res.ok) {
      let reason = text.slice(0, 300);
      try {
        reason = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? reason;
      } catch {
        // not JSON: the text itself is the reason
      }
      throw upstream(`The language model endpoint answered ${res.status}: ${reason}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw upstream('The language model endpoint answered with something that is not JSON');
    }
  }
}
