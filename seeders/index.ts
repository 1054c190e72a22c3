import type { Transaction } from 'sequelize';
import type { Container } from '../src/container';
import { priceOrder } from '../src/entities/order';
import { Random, stableId } from './random';
import * as words from './vocabulary';

type Row = Record<string, unknown>;

const DEMO_USERS = [
  {
    key: 'manager',
    first_name: 'Morgan',
    last_name: 'Reyes',
    role: 'manager',
    title: 'Sales Manager',
    reportsTo: null,
  },
  {
    key: 'rep1',
    first_name: 'Sam',
    last_name: 'Patel',
    role: 'sales_rep',
    title: 'Account Executive',
    reportsTo: 'manager',
  },
  {
    key: 'rep2',
    first_name: 'Jamie',
    last_name: 'Chen',
    role: 'sales_rep',
    title: 'Account Executive',
    reportsTo: 'manager',
  },
  {
    key: 'rep3',
    first_name: 'Alex',
    last_name: 'Kim',
    role: 'sales_rep',
    title: 'Business Developer',
    reportsTo: null,
  },
  {
    key: 'support',
    first_name: 'Taylor',
    last_name: 'Brooks',
    role: 'support',
    title: 'Support Specialist',
    reportsTo: null,
  },
] as const;

/**
 * Realistic, related sample data for every entity in one organization: hundreds of rows with consistent
 * references, written in one transaction. Ids derive from the organization, so a second run finds the
 * data and adds nothing. Demo users share the first admin's password.
 */
export async function seedDemoData(
  c: Container,
  organizationId: string,
): Promise<Record<string, number> | null> {
  const id = (entity: string, n: number | string) => stableId(organizationId, entity, String(n));
  const Users = c.models.get('User');
  return c.sequelize.transaction(async (transaction) => {
    if (await Users.findByPk(id('User', 'manager'), { transaction })) return null;
    return insertDemoData(c, organizationId, id, transaction);
  });
}

async function insertDemoData(
  c: Container,
  organizationId: string,
  id: (entity: string, n: number | string) => string,
  transaction: Transaction,
): Promise<Record<string, number>> {
  const rnd = new Random(`nexa-demo/${organizationId}`);
  const now = new Date();
  const admin = (await c.models.get('User').findOne({
    where: { organization_id: organizationId, role: 'admin' },
    order: [['created_at', 'ASC']],
    raw: true,
    transaction,
  })) as unknown as Row | null;
  if (!admin) throw new Error('Seed the first admin before the demo data');
  const domain = `${String(admin.email).split('@')[1] ?? 'example.com'}`;
  const base = (entity: string, n: number | string, createdBy: unknown = admin.id): Row => {
    const created = rnd.pastDate(now, 180);
    return {
      id: id(entity, n),
      organization_id: organizationId,
      created_by: createdBy,
      created_at: created,
      updated_at: created,
    };
  };
  const person = () => {
    const first = rnd.pick(words.FIRST_NAMES);
    const last = rnd.pick(words.LAST_NAMES);
    return { first_name: first, last_name: last };
  };
  const emailOf = (first: string, last: string, host: string) =>
    `${first}.${last}`
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9.]/g, '') + `@${host}`;
  const place = () => {
    const [city, state, country] = rnd.pick(words.CITIES);
    return {
      address: `${rnd.int(1, 999)} ${rnd.pick(words.STREETS)}`,
      city,
      state,
      country,
      postal_code: String(rnd.int(10000, 99999)),
    };
  };
  const counts: Record<string, number> = {};
  const insert = async (entity: string, rows: Row[]) => {
    await c.models.get(entity).bulkCreate(rows, { transaction });
    counts[entity] = rows.length;
    return rows;
  };

  // People ------------------------------------------------------------------
  const users = await insert(
    'User',
    DEMO_USERS.map((u) => ({
      ...base('User', u.key),
      email: `${u.first_name}.${u.last_name}`.toLowerCase() + `@${domain}`,
      password_hash: admin.password_hash,
      first_name: u.first_name,
      last_name: u.last_name,
      role: u.role,
      title: u.title,
      manager_id: u.reportsTo ? id('User', u.reportsTo) : null,
    })),
  );
  const sellers = [admin.id, ...users.filter((u) => u.role !== 'support').map((u) => u.id)];
  const reps = users.filter((u) => u.role === 'sales_rep').map((u) => u.id);
  const supportId = users.find((u) => u.role === 'support')!.id;

  // Companies and the people in them ------------------------------------------
  const accounts = await insert(
    'Account',
    Array.from({ length: 40 }, (_, n) => {
      const name = `${words.COMPANY_WORDS[n % words.COMPANY_WORDS.length]} ${rnd.pick(words.COMPANY_SUFFIXES)}`;
      const host = `${name.toLowerCase().replace(/[^a-z]+/g, '')}.example.com`;
      return {
        ...base('Account', n),
        name: n >= words.COMPANY_WORDS.length ? `${name} ${n}` : name,
        type: rnd.weighted([
          ['customer', 4],
          ['prospect', 5],
          ['partner', 1],
          ['vendor', 1],
        ]),
        industry: rnd.pick(words.INDUSTRIES),
        website: `https://${host}`,
        phone: `+1 555 ${rnd.int(100, 999)} ${rnd.int(1000, 9999)}`,
        email: `hello@${host}`,
        annual_revenue: rnd.money(200_000, 50_000_000),
        employees: rnd.int(5, 5000),
        rating: rnd.pick(['hot', 'warm', 'cold']),
        ...place(),
        owner_id: rnd.pick(sellers),
        tags: rnd.chance(0.3) ? ['key-account'] : [],
      };
    }),
  );
  const hostOf = (account: Row) => String(account.website).replace('https://', '');
  const contacts = await insert(
    'Contact',
    Array.from({ length: 120 }, (_, n) => {
      const account = accounts[n % accounts.length]!;
      const p = person();
      return {
        ...base('Contact', n),
        ...p,
        email: emailOf(p.first_name, `${p.last_name}${n}`, hostOf(account)),
        phone: `+1 555 ${rnd.int(100, 999)} ${rnd.int(1000, 9999)}`,
        title: rnd.pick(words.TITLES),
        account_id: account.id,
        status: rnd.weighted([
          ['active', 9],
          ['inactive', 1],
        ]),
        lead_source: rnd.weighted(words.LEAD_SOURCES),
        ...place(),
        owner_id: account.owner_id,
        last_contacted_at: rnd.chance(0.7) ? rnd.pastDate(now, 60) : null,
      };
    }),
  );

  // Pipeline ------------------------------------------------------------------
  const leads = await insert(
    'Lead',
    Array.from({ length: 250 }, (_, n) => {
      const p = person();
      const company = `${rnd.pick(words.COMPANY_WORDS)} ${rnd.pick(words.COMPANY_SUFFIXES)}`;
      const status = rnd.weighted([
        ['new', 30],
        ['contacted', 25],
        ['qualified', 18],
        ['unqualified', 8],
        ['converted', 10],
        ['lost', 9],
      ]);
      const row = base('Lead', n);
      return {
        ...row,
        ...p,
        email: emailOf(
          p.first_name,
          `${p.last_name}${n}`,
          `${company.toLowerCase().replace(/[^a-z]+/g, '')}.example.net`,
        ),
        phone: `+1 555 ${rnd.int(100, 999)} ${rnd.int(1000, 9999)}`,
        company,
        title: rnd.pick(words.TITLES),
        source: rnd.weighted(words.LEAD_SOURCES),
        status,
        lead_score: rnd.int(0, 100),
        industry: rnd.pick(words.INDUSTRIES),
        annual_revenue: rnd.chance(0.6) ? rnd.money(50_000, 20_000_000) : null,
        employees: rnd.chance(0.6) ? rnd.int(1, 2000) : null,
        ...place(),
        assigned_to: rnd.chance(0.9) ? rnd.pick([...reps, ...reps, ...sellers]) : null,
        converted_date: status === 'converted' ? rnd.pastDate(now, 30) : null,
        last_contact_date: status === 'new' ? null : rnd.pastDate(now, 45),
        tags: rnd.chance(0.2) ? [rnd.pick(['hot', 'enterprise', 'smb', 'follow-up'])] : [],
      };
    }),
  );
  const deals = await insert(
    'Deal',
    Array.from({ length: 80 }, (_, n) => {
      const contact = rnd.pick(contacts);
      const stage = rnd.weighted([
        ['prospecting', 15],
        ['qualification', 15],
        ['proposal', 12],
        ['negotiation', 10],
        ['closed_won', 16],
        ['closed_lost', 12],
      ]);
      const closed = stage.startsWith('closed');
      return {
        ...base('Deal', n),
        name: `${accounts.find((a) => a.id === contact.account_id)!.name} — ${rnd.pick(['Expansion', 'New license', 'Renewal', 'Pilot', 'Services'])}`,
        amount: rnd.money(2_000, 250_000),
        stage,
        probability: {
          prospecting: 10,
          qualification: 25,
          proposal: 50,
          negotiation: 75,
          closed_won: 100,
          closed_lost: 0,
        }[stage],
        type: rnd.pick(['new_business', 'existing_business', 'renewal', 'upsell']),
        expected_close_date: new Date(now.getTime() + rnd.int(-60, 120) * 86_400_000),
        actual_close_date: closed ? rnd.pastDate(now, 120) : null,
        account_id: contact.account_id,
        contact_id: contact.id,
        owner_id: contact.owner_id,
        next_step: closed ? null : rnd.pick(words.TASK_TITLES),
        lost_reason:
          stage === 'closed_lost' ? rnd.pick(['Price', 'Chose competitor', 'No budget', 'Timing']) : null,
      };
    }),
  );

  // Marketing ---------------------------------------------------------------
  const campaigns = await insert(
    'Campaign',
    Array.from({ length: 10 }, (_, n) => {
      const start = rnd.pastDate(now, 150);
      const sent = rnd.int(500, 20_000);
      const opened = Math.floor(sent * (0.2 + rnd.next() * 0.3));
      const clicked = Math.floor(opened * (0.1 + rnd.next() * 0.3));
      return {
        ...base('Campaign', n),
        name: `${rnd.pick(['Spring', 'Summer', 'Autumn', 'Winter', 'Launch', 'Webinar', 'Partner'])} ${rnd.pick(['Promo', 'Outreach', 'Newsletter', 'Series', 'Event'])} ${n + 1}`,
        type: rnd.pick(['email', 'social_media', 'webinar', 'event', 'advertisement', 'content']),
        status: rnd.weighted([
          ['planned', 2],
          ['active', 4],
          ['paused', 1],
          ['completed', 3],
        ]),
        start_date: start,
        end_date: new Date(start.getTime() + rnd.int(14, 90) * 86_400_000),
        budget: rnd.money(1_000, 50_000),
        actual_cost: rnd.money(500, 40_000),
        expected_revenue: rnd.money(10_000, 300_000),
        utm_source: rnd.pick(['newsletter', 'linkedin', 'google', 'partner']),
        utm_medium: rnd.pick(['email', 'cpc', 'social', 'referral']),
        utm_campaign: `campaign-${n + 1}`,
        sent_count: sent,
        open_count: opened,
        click_count: clicked,
        conversion_count: Math.floor(clicked * 0.1),
        owner_id: rnd.pick(sellers),
      };
    }),
  );
  await insert(
    'LinkAnalytics',
    Array.from({ length: 60 }, (_, n) => {
      const campaign = campaigns[n % campaigns.length]!;
      const clicks = rnd.int(0, 3000);
      return {
        ...base('LinkAnalytics', n),
        url: `https://www.example.com/${rnd.pick(['pricing', 'demo', 'blog/crm-tips', 'features', 'signup'])}?ref=${n}`,
        short_code: `nx${n.toString(36).padStart(4, '0')}`,
        title: `${String(campaign.name)} link ${n + 1}`,
        campaign_id: campaign.id,
        clicks,
        unique_clicks: Math.floor(clicks * 0.7),
        conversions: Math.floor(clicks * 0.03),
        last_clicked_at: clicks ? rnd.pastDate(now, 20) : null,
        utm_source: campaign.utm_source,
        utm_medium: campaign.utm_medium,
        utm_campaign: campaign.utm_campaign,
        referrers: { 'linkedin.com': Math.floor(clicks * 0.4), 'google.com': Math.floor(clicks * 0.35) },
        countries: {
          US: Math.floor(clicks * 0.5),
          GB: Math.floor(clicks * 0.2),
          DE: Math.floor(clicks * 0.1),
        },
      };
    }),
  );

  // Commerce ----------------------------------------------------------------
  const suppliers = await insert(
    'Supplier',
    Array.from({ length: 12 }, (_, n) => ({
      ...base('Supplier', n),
      name: `${rnd.pick(words.COMPANY_WORDS)} Supply ${n + 1}`,
      contact_name: `${rnd.pick(words.FIRST_NAMES)} ${rnd.pick(words.LAST_NAMES)}`,
      email: `orders${n}@supplier.example.com`,
      category: rnd.pick(['Hardware', 'Software', 'Services', 'Logistics']),
      status: rnd.weighted([
        ['active', 8],
        ['pending', 1],
        ['inactive', 1],
      ]),
      rating: rnd.int(2, 5),
      payment_terms: rnd.pick(['Net 30', 'Net 45', 'Net 60', 'Due on receipt']),
      ...place(),
    })),
  );
  const products = await insert(
    'Product',
    Array.from({ length: 36 }, (_, n) => {
      const [name, category, price] = words.PRODUCT_LINES[n % words.PRODUCT_LINES.length]!;
      const tier = Math.floor(n / words.PRODUCT_LINES.length);
      return {
        ...base('Product', n),
        name: tier ? `${name} (${['', 'EU', 'APAC'][tier]})` : name,
        sku: `SKU-${String(n + 1).padStart(4, '0')}`,
        category,
        price,
        cost: Math.round(price * 0.45 * 100) / 100,
        tax_rate: category === 'Services' ? 0 : 8.25,
        stock_quantity: category === 'Hardware' ? rnd.int(0, 400) : 0,
        unit: category === 'Services' ? 'package' : 'each',
        supplier_id: category === 'Hardware' ? rnd.pick(suppliers).id : null,
      };
    }),
  );
  const customers = await insert(
    'Customer',
    Array.from({ length: 60 }, (_, n) => {
      const p = person();
      const contact = rnd.chance(0.5) ? rnd.pick(contacts) : undefined;
      return {
        ...base('Customer', n),
        ...p,
        email: emailOf(p.first_name, `${p.last_name}${n}`, 'customer.example.org'),
        phone: `+1 555 ${rnd.int(100, 999)} ${rnd.int(1000, 9999)}`,
        customer_type: contact ? 'business' : 'individual',
        company: contact ? accounts.find((a) => a.id === contact.account_id)!.name : null,
        status: rnd.weighted([
          ['active', 8],
          ['inactive', 1],
          ['churned', 1],
        ]),
        account_id: contact?.account_id ?? null,
        contact_id: contact?.id ?? null,
        account_manager_id: rnd.pick(sellers),
        ...place(),
      };
    }),
  );
  const orders = await insert(
    'Order',
    Array.from({ length: 90 }, (_, n) => {
      const customer = rnd.pick(customers);
      const lines = Array.from({ length: rnd.int(1, 4) }, () => {
        const product = rnd.pick(products);
        return {
          product_id: product.id as string,
          product_name: product.name as string,
          quantity: rnd.int(1, 10),
          unit_price: Number(product.price),
          discount: 0,
        };
      });
      const amounts = {
        discount_amount: rnd.chance(0.2) ? 25 : 0,
        tax_amount: rnd.money(0, 200),
        shipping_amount: rnd.chance(0.4) ? 15 : 0,
      };
      const priced = priceOrder(lines, amounts);
      const row = base('Order', n, customer.account_manager_id);
      return {
        ...row,
        order_number: `ORD-DEMO-${String(n + 1).padStart(4, '0')}`,
        customer_id: customer.id,
        account_id: customer.account_id,
        status: rnd.weighted([
          ['pending', 2],
          ['confirmed', 2],
          ['processing', 2],
          ['shipped', 2],
          ['delivered', 5],
          ['cancelled', 1],
        ]),
        payment_status: rnd.weighted([
          ['paid', 6],
          ['unpaid', 3],
          ['partially_paid', 1],
        ]),
        order_date: row.created_at,
        ...amounts,
        ...priced,
        owner_id: customer.account_manager_id,
      };
    }),
  );
  await insert(
    'Invoice',
    orders.slice(0, 70).map((order, n) => {
      const total = Number(order.total_amount);
      const status =
        order.payment_status === 'paid'
          ? 'paid'
          : rnd.weighted([
              ['sent', 4],
              ['overdue', 2],
              ['draft', 1],
            ]);
      const paid = status === 'paid' ? total : 0;
      const issued = order.order_date as Date;
      return {
        ...base('Invoice', n),
        invoice_number: `INV-DEMO-${String(n + 1).padStart(4, '0')}`,
        order_id: order.id,
        account_id: order.account_id,
        customer_id: order.customer_id,
        status,
        issue_date: issued,
        due_date: new Date(issued.getTime() + 30 * 86_400_000),
        subtotal: order.subtotal,
        tax_amount: order.tax_amount,
        discount_amount: order.discount_amount,
        total_amount: total,
        amount_paid: paid,
        balance_due: Math.round((total - paid) * 100) / 100,
        paid_at: status === 'paid' ? new Date(issued.getTime() + rnd.int(1, 30) * 86_400_000) : null,
        terms: 'Net 30',
      };
    }),
  );

  // Support -----------------------------------------------------------------
  await insert(
    'Ticket',
    Array.from({ length: 80 }, (_, n) => {
      const customer = rnd.pick(customers);
      const status = rnd.weighted([
        ['open', 5],
        ['in_progress', 4],
        ['waiting_on_customer', 2],
        ['resolved', 5],
        ['closed', 4],
      ]);
      const row = base('Ticket', n, supportId);
      const done = status === 'resolved' || status === 'closed';
      return {
        ...row,
        ticket_number: `TCK-DEMO-${String(n + 1).padStart(4, '0')}`,
        subject: rnd.pick(words.TICKET_SUBJECTS),
        description: 'Reported through the help center.',
        status,
        priority: rnd.weighted([
          ['low', 3],
          ['medium', 5],
          ['high', 2],
          ['urgent', 1],
        ]),
        category: rnd.pick(['question', 'problem', 'incident', 'feature_request', 'billing']),
        channel: rnd.pick(['email', 'phone', 'web', 'chat']),
        customer_id: customer.id,
        contact_id: customer.contact_id,
        account_id: customer.account_id,
        assigned_to: rnd.chance(0.8) ? supportId : null,
        due_date: new Date((row.created_at as Date).getTime() + 3 * 86_400_000),
        resolved_at: done ? new Date((row.created_at as Date).getTime() + rnd.int(1, 72) * 3_600_000) : null,
        resolution: done ? 'Walked the customer through the fix.' : null,
        satisfaction_rating: done && rnd.chance(0.6) ? rnd.int(3, 5) : null,
      };
    }),
  );

  // Work around records -------------------------------------------------------
  const about = (): { related_type: string; related_id: unknown; owner: unknown } => {
    const kind = rnd.weighted([
      ['lead', 4],
      ['contact', 3],
      ['deal', 3],
      ['account', 1],
    ] as const);
    const record = rnd.pick({ lead: leads, contact: contacts, deal: deals, account: accounts }[kind]);
    return {
      related_type: kind,
      related_id: record.id,
      owner: record.assigned_to ?? record.owner_id ?? rnd.pick(sellers),
    };
  };
  await insert(
    'Task',
    Array.from({ length: 120 }, (_, n) => {
      const { owner, ...related } = about();
      const status = rnd.weighted([
        ['not_started', 4],
        ['in_progress', 3],
        ['completed', 4],
        ['deferred', 1],
      ]);
      return {
        ...base('Task', n, owner),
        title: rnd.pick(words.TASK_TITLES),
        status,
        priority: rnd.weighted([
          ['low', 2],
          ['medium', 5],
          ['high', 2],
          ['urgent', 1],
        ]),
        due_date: new Date(now.getTime() + rnd.int(-10, 20) * 86_400_000),
        completed_at: status === 'completed' ? rnd.pastDate(now, 30) : null,
        assigned_to: owner,
        ...related,
      };
    }),
  );
  await insert(
    'Meeting',
    Array.from({ length: 50 }, (_, n) => {
      const { owner, ...related } = about();
      const start = new Date(now.getTime() + rnd.int(-40, 20) * 86_400_000 + rnd.int(8, 17) * 3_600_000);
      return {
        ...base('Meeting', n, owner),
        title: rnd.pick([
          'Discovery call',
          'Product demo',
          'Quarterly review',
          'Contract walkthrough',
          'Kickoff',
        ]),
        start_time: start,
        end_time: new Date(start.getTime() + rnd.pick([30, 45, 60]) * 60_000),
        location: rnd.chance(0.6) ? 'Video call' : `${rnd.pick(words.CITIES)[0]} office`,
        meeting_url: 'https://meet.example.com/nexa-demo',
        status:
          start < now
            ? rnd.weighted([
                ['completed', 8],
                ['cancelled', 1],
                ['no_show', 1],
              ])
            : 'scheduled',
        organizer_id: owner,
        attendees: [{ user_id: owner, response: 'accepted' }],
        ...related,
      };
    }),
  );
  await insert(
    'Call',
    Array.from({ length: 100 }, (_, n) => {
      const { owner, ...related } = about();
      const status = rnd.weighted([
        ['completed', 7],
        ['no_answer', 2],
        ['busy', 1],
      ]);
      return {
        ...base('Call', n, owner),
        subject: rnd.pick(['Intro call', 'Follow-up call', 'Pricing discussion', 'Check-in', 'Renewal call']),
        direction: rnd.weighted([
          ['outbound', 4],
          ['inbound', 1],
        ]),
        status,
        outcome:
          status === 'completed' ? rnd.pick(['interested', 'not_interested', 'callback', 'voicemail']) : null,
        phone_number: `+1 555 ${rnd.int(100, 999)} ${rnd.int(1000, 9999)}`,
        call_time: rnd.pastDate(now, 90),
        duration_seconds: status === 'completed' ? rnd.int(60, 2400) : 0,
        user_id: owner,
        ...related,
      };
    }),
  );
  await insert(
    'Activity',
    Array.from({ length: 200 }, (_, n) => {
      const { owner, ...related } = about();
      const type = rnd.weighted([
        ['note', 4],
        ['call', 3],
        ['email', 3],
        ['meeting', 2],
        ['status_change', 1],
      ]);
      return {
        ...base('Activity', n, owner),
        type,
        subject: {
          note: 'Added a note',
          call: 'Logged a call',
          email: 'Sent an email',
          meeting: 'Held a meeting',
          status_change: 'Changed status',
        }[type],
        description: rnd.pick([
          'Interested in the Pro plan.',
          'Asked for a discount.',
          'Needs approval from finance.',
          'Wants a demo next week.',
        ]),
        occurred_at: rnd.pastDate(now, 90),
        user_id: owner,
        ...related,
      };
    }),
  );
  await insert(
    'Email',
    Array.from({ length: 80 }, (_, n) => {
      const { owner, ...related } = about();
      const lead = leads.find((l) => l.id === related.related_id);
      const contact = contacts.find((ct) => ct.id === related.related_id);
      const to = String(lead?.email ?? contact?.email ?? `info${n}@example.com`);
      const sentAt = rnd.pastDate(now, 60);
      return {
        ...base('Email', n, owner),
        to: [to],
        from_address: users.find((u) => u.id === owner)?.email ?? admin.email,
        subject: rnd.pick([
          'Following up',
          'Your proposal',
          'Next steps',
          'Thanks for your time',
          'Quick question',
        ]),
        body_text: 'Hi, following up on our conversation. Let me know a good time to talk.',
        body_html: '<p>Hi, following up on our conversation. Let me know a good time to talk.</p>',
        template: 'generic',
        status: rnd.weighted([
          ['sent', 9],
          ['failed', 1],
        ]),
        provider: 'outbox',
        sent_at: sentAt,
        ...related,
      };
    }),
  );
  await insert(
    'Document',
    Array.from({ length: 25 }, (_, n) => {
      const { owner, ...related } = about();
      const kind = rnd.pick(['Proposal', 'Contract', 'Quote', 'Brochure', 'Meeting notes']);
      return {
        ...base('Document', n, owner),
        name: `${kind} ${n + 1}`,
        category: kind.toLowerCase(),
        url: `https://docs.example.com/shared/${kind.toLowerCase().replace(' ', '-')}-${n + 1}.pdf`,
        is_private: false,
        uploaded_by: owner,
        ...related,
      };
    }),
  );
  await insert(
    'Workflow',
    [
      {
        name: 'Welcome new leads',
        entity_type: 'lead',
        trigger: 'record_created',
        actions: [{ type: 'send_email', config: { template: 'welcome' } }],
      },
      {
        name: 'Follow up qualified leads',
        entity_type: 'lead',
        trigger: 'field_changed',
        conditions: { status: 'qualified' },
        actions: [{ type: 'create_task', config: { title: 'Call the lead', due_in_days: 2 } }],
      },
      {
        name: 'Escalate urgent tickets',
        entity_type: 'ticket',
        trigger: 'record_created',
        conditions: { priority: 'urgent' },
        actions: [{ type: 'notify_user', config: { role: 'manager' } }],
      },
      {
        name: 'Thank customers after delivery',
        entity_type: 'order',
        trigger: 'field_changed',
        conditions: { status: 'delivered' },
        actions: [{ type: 'send_email', config: { template: 'generic' } }],
      },
      {
        name: 'Weekly stale deal review',
        entity_type: 'deal',
        trigger: 'scheduled',
        schedule: '0 9 * * MON',
        actions: [{ type: 'notify_user', config: { role: 'manager' } }],
      },
      {
        name: 'Assign web leads round-robin',
        entity_type: 'lead',
        trigger: 'record_created',
        is_active: false,
        conditions: { source: 'website' },
        actions: [{ type: 'assign_owner', config: { strategy: 'round_robin' } }],
      },
    ].map((w, n) => ({ ...base('Workflow', n), ...w })),
  );
  return counts;
}
