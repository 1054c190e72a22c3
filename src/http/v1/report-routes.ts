import { Router, type RequestHandler } from 'express';
import type { ReportGenerator } from '../../services/export/report-generator';
import { actorOf } from '../request-context';
import { sendGeneratedFile } from '../send-file';
import { onlyParams } from './list-params';

/** Reports as CSV or JSON downloads, streamed. */
export function reportRoutes(reports: ReportGenerator, limit: RequestHandler): Router {
  const router = Router();
  router.post('/generate', limit, async (req, res) => {
    onlyParams(req.query, []);
    const report = await reports.generate(actorOf(req), req.body);
    // A grouped report stops at the aggregation's group limit; the header says when it did.
    res.setHeader('X-Report-Truncated', String(report.truncated));
    await sendGeneratedFile(res, report);
  });
  return router;
}
