// Word lists for the simulated directory (plain ASCII so userNames stay filterable everywhere).

export const GIVEN_NAMES = [
  'Ada', 'Adele', 'Ahmed', 'Aiko', 'Alex', 'Amara', 'Ana', 'Anders', 'Ari', 'Bea', 'Ben', 'Camila', 'Chen',
  'Chloe', 'Dan', 'Dara', 'Diego', 'Elif', 'Emma', 'Eric', 'Farah', 'Finn', 'Grace', 'Hana', 'Hugo', 'Ines',
  'Ivan', 'Jade', 'Jon', 'Joy', 'Kai', 'Kofi', 'Lara', 'Leo', 'Lin', 'Luca', 'Maya', 'Mei', 'Nia', 'Noah',
  'Olga', 'Omar', 'Pia', 'Raj', 'Rosa', 'Sami', 'Sara', 'Tariq', 'Uma', 'Vera', 'Wei', 'Yara', 'Yusuf', 'Zoe',
] as const;

export const FAMILY_NAMES = [
  'Abe', 'Adams', 'Alvarez', 'Bauer', 'Berg', 'Brown', 'Castro', 'Chen', 'Costa', 'Dubois', 'Eze', 'Fischer',
  'Garcia', 'Gupta', 'Hansen', 'Haddad', 'Ito', 'Jensen', 'Kim', 'Kowalski', 'Larsen', 'Lopez', 'Mensah',
  'Meyer', 'Moreau', 'Murphy', 'Nakamura', 'Novak', 'Okafor', 'Olsen', 'Patel', 'Perez', 'Quinn', 'Rossi',
  'Sato', 'Schmidt', 'Silva', 'Singh', 'Suzuki', 'Tanaka', 'Torres', 'Usman', 'Vargas', 'Wang', 'Weber',
  'Young', 'Zhang',
] as const;

export const DEPARTMENTS = [
  'Engineering', 'Design', 'Finance', 'Legal', 'Marketing', 'Operations', 'People', 'Product', 'Research',
  'Sales', 'Security', 'Support',
] as const;

export const GROUP_NOUNS = [
  'Admins', 'Analysts', 'Builders', 'Champions', 'Council', 'Crew', 'Guild', 'Leads', 'Network', 'Owners',
  'Reviewers', 'Squad', 'Team', 'Readers', 'Writers', 'Users',
] as const;
