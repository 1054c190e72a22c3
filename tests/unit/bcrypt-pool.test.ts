import bcrypt from 'bcryptjs';
import { BcryptPool } from '../../src/auth/bcrypt-pool';

it('hashes and compares on worker threads, compatibly with bcryptjs', async () => {
  const pool = new BcryptPool(2);
  try {
    const [a, b] = await Promise.all([pool.hash('first secret', 4), pool.hash('second secret', 4)]);
    expect(bcrypt.compareSync('first secret', a)).toBe(true);
    expect(await pool.compare('second secret', b)).toBe(true);
    expect(await pool.compare('first secret', b)).toBe(false);
    expect(await pool.compare('x', 'not a hash')).toBe(false);
  } finally {
    await pool.close();
  }
  await expect(pool.hash('late', 4)).rejects.toThrow(/closed/);
});
