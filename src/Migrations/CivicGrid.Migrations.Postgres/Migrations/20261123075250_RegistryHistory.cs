using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RegistryHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_changes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ChangeSetId = table.Column<Guid>(type: "uuid", nullable: false),
                    EntityType = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    RecordId = table.Column<Guid>(type: "uuid", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", unicode: false, maxLength: 18, nullable: false),
                    Operation = table.Column<string>(type: "character varying(10)", unicode: false, maxLength: 10, nullable: false),
                    Field = table.Column<string>(type: "character varying(64)", unicode: false, maxLength: 64, nullable: false),
                    OldValue = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    NewValue = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Protected = table.Column<bool>(type: "boolean", nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_changes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_changes_GridCode_ChangedAt",
                table: "registry_changes",
                columns: new[] { "GridCode", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_changes_RecordId_ChangedAt",
                table: "registry_changes",
                columns: new[] { "RecordId", "ChangedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_changes");
        }
    }
}
