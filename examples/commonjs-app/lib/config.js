// define(value): the value is the exports.
define({ name: 'the commonjs app', items: ['a', 'b', 'c'] });
