namespace Dockyard.MySql.Schema;

/// <summary>One numbered step of the schema; applied once, in order, and recorded in <c>schema_migrations</c>.</summary>
/// <param name="Version">Its number: the next free one for a new step; never renumber or edit an applied step.</param>
/// <param name="Name">What it does, recorded beside the number.</param>
/// <param name="Sql">Its statements. MySQL commits DDL one statement at a time, so each is written to run again after a crash half-way (IF NOT EXISTS).</param>
/// <param name="AddsColumn">
/// True for a step that is one <c>ALTER TABLE … ADD COLUMN</c>, which MySQL (unlike MariaDB) cannot write IF NOT EXISTS:
/// the migrator then takes "duplicate column" as the step already done before a crash left it unrecorded.
/// </param>
internal sealed record MySqlMigration(int Version, string Name, string Sql, bool AddsColumn = false);
