using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RegistryTemplates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_report_templates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    OwnerCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    DepartmentCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    FilterJson = table.Column<string>(type: "TEXT", nullable: false),
                    ColumnsJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_report_templates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_template_values",
                columns: table => new
                {
                    TemplateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FieldKey = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_template_values", x => new { x.TemplateId, x.PersonId, x.FieldKey });
                    table.ForeignKey(
                        name: "FK_registry_template_values_registry_persons_PersonId",
                        column: x => x.PersonId,
                        principalTable: "registry_persons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_registry_template_values_registry_report_templates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "registry_report_templates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_report_templates_OwnerCode_Name",
                table: "registry_report_templates",
                columns: new[] { "OwnerCode", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_registry_template_values_PersonId",
                table: "registry_template_values",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_registry_template_values_TemplateId_GridCode",
                table: "registry_template_values",
                columns: new[] { "TemplateId", "GridCode" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_template_values");

            migrationBuilder.DropTable(
                name: "registry_report_templates");
        }
    }
}
