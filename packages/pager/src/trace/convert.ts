import { existsSync, statSync, unlinkSync } from 'node:fs';
import { ConfigurationError } from '@pagelab/contracts';
import { BinaryTraceWriter } from './binary.js';
import { PageIdTable } from './page-ids.js';
import { ReferenceBuffer } from './reference-buffer.js';
import { streamTraceReferences, type TraceReadOptions, type TraceReadSummary } from './source.js';

/** What converting a trace to the binary format wrote. */
export interface BinaryConversion extends TraceReadSummary {
  readonly output: string;
  readonly references: number;
  readonly distinctPages: number;
  /** Size of the binary file in bytes. */
  readonly bytes: number;
}

/**
 * Converts the trace at `input` (text in the options' format, or already binary) to a binary
 * trace at `output` (the layout is in the package README). The output is created once the
 * input has been opened; on any error the partial output is removed.
 */
export function convertTraceToBinary(input: string, output: string, options: TraceReadOptions): BinaryConversion {
  if (existsSync(output) && existsSync(input)) {
    const a = statSync(input);
    const b = statSync(output);
    if (a.dev === b.dev && a.ino === b.ino) {
      throw new ConfigurationError('write-binary', `${output} is the trace being read; write the binary trace to another file`);
    }
  }
  const pageIds = new PageIdTable();
  const buffer = new ReferenceBuffer();
  let writer: BinaryTraceWriter | undefined;
  const open = (): BinaryTraceWriter => {
    if (writer === undefined) writer = openWriter(output);
    return writer;
  };
  try {
    const read = streamTraceReferences(input, options, pageIds, buffer, () => {
      open().append(buffer);
      buffer.clear();
    });
    const done = open();
    const bytes = done.finish(pageIds, read.format, read.pageSize, read.kinds);
    return { ...read, output, references: done.references, distinctPages: pageIds.size, bytes };
  } catch (error) {
    if (writer !== undefined) {
      writer.close();
      unlinkSync(output);
    }
    throw error;
  }
}

function openWriter(output: string): BinaryTraceWriter {
  try {
    return new BinaryTraceWriter(output);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new ConfigurationError('write-binary', `${output}: cannot be written (${typeof code === 'string' ? code : String(error)})`);
  }
}
