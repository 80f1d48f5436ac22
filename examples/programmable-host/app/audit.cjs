// A CommonJS importer of the same db.js (require() of an ES module, as Node 22 does).
const db = require('./db.js');

exports.auditLine = () => `audit log in ${db.name}`;
