// Runs through the replica set URI, so it writes to whichever member is primary.
db.getSiblingDB("admin").auth(process.env.MONGO_ROOT_USERNAME, process.env.MONGO_ROOT_PASSWORD);

const dbName = process.env.MONGO_APP_DATABASE;
const user = process.env.MONGO_APP_USERNAME;
const roles = [{ role: "readWrite", db: dbName }];
const target = db.getSiblingDB(dbName);
// Updating an existing user keeps a rotated password file in effect after a restart.
if (target.getUser(user)) {
  target.updateUser(user, { pwd: process.env.MONGO_APP_PASSWORD, roles });
  print(`user ${user} on ${dbName} updated`);
} else {
  target.createUser({ user, pwd: process.env.MONGO_APP_PASSWORD, roles });
  print(`user ${user} on ${dbName} created`);
}
