using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CaseDeadlines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "EscalationLevel",
                table: "cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "OverdueAt",
                table: "cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StageDueAt",
                table: "cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StageStartedAt",
                table: "cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StageWarnAt",
                table: "cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WarnedAt",
                table: "cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_holidays",
                columns: table => new
                {
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_holidays", x => x.Date);
                });

            migrationBuilder.InsertData(
                table: "case_holidays",
                columns: new[] { "Date", "Kind", "Name" },
                values: new object[,]
                {
                    { new DateOnly(2025, 1, 1), "holiday", "元旦" },
                    { new DateOnly(2025, 1, 26), "workday", "春节调休上班" },
                    { new DateOnly(2025, 1, 28), "holiday", "春节" },
                    { new DateOnly(2025, 1, 29), "holiday", "春节" },
                    { new DateOnly(2025, 1, 30), "holiday", "春节" },
                    { new DateOnly(2025, 1, 31), "holiday", "春节" },
                    { new DateOnly(2025, 2, 1), "holiday", "春节" },
                    { new DateOnly(2025, 2, 2), "holiday", "春节" },
                    { new DateOnly(2025, 2, 3), "holiday", "春节" },
                    { new DateOnly(2025, 2, 4), "holiday", "春节" },
                    { new DateOnly(2025, 2, 8), "workday", "春节调休上班" },
                    { new DateOnly(2025, 4, 4), "holiday", "清明节" },
                    { new DateOnly(2025, 4, 5), "holiday", "清明节" },
                    { new DateOnly(2025, 4, 6), "holiday", "清明节" },
                    { new DateOnly(2025, 4, 27), "workday", "劳动节调休上班" },
                    { new DateOnly(2025, 5, 1), "holiday", "劳动节" },
                    { new DateOnly(2025, 5, 2), "holiday", "劳动节" },
                    { new DateOnly(2025, 5, 3), "holiday", "劳动节" },
                    { new DateOnly(2025, 5, 4), "holiday", "劳动节" },
                    { new DateOnly(2025, 5, 5), "holiday", "劳动节" },
                    { new DateOnly(2025, 5, 31), "holiday", "端午节" },
                    { new DateOnly(2025, 6, 1), "holiday", "端午节" },
                    { new DateOnly(2025, 6, 2), "holiday", "端午节" },
                    { new DateOnly(2025, 9, 28), "workday", "国庆节调休上班" },
                    { new DateOnly(2025, 10, 1), "holiday", "国庆节、中秋节" },
                    { new DateOnly(2025, 10, 2), "holiday", "国庆节、中秋节" },
                    { new DateOnly(2025, 10, 3), "holiday", "国庆节、中秋节" },
                    { new DateOnly(2025, 10, 4), "holiday", "国庆节、中秋节" },
                    { new DateOnly(2025, 10, 5), "holiday", "国庆节、中秋节" },
                    { new DateOnly(2025, 10, 6), "holiday", "国庆节、中秋节" },
                    { new DateOnly(2025, 10, 7), "holiday", "国庆节、中秋节" },
                    { new DateOnly(2025, 10, 8), "holiday", "国庆节、中秋节" },
                    { new DateOnly(2025, 10, 11), "workday", "国庆节调休上班" },
                    { new DateOnly(2026, 1, 1), "holiday", "元旦" },
                    { new DateOnly(2026, 1, 2), "holiday", "元旦" },
                    { new DateOnly(2026, 1, 3), "holiday", "元旦" },
                    { new DateOnly(2026, 1, 4), "workday", "元旦调休上班" },
                    { new DateOnly(2026, 2, 14), "workday", "春节调休上班" },
                    { new DateOnly(2026, 2, 15), "holiday", "春节" },
                    { new DateOnly(2026, 2, 16), "holiday", "春节" },
                    { new DateOnly(2026, 2, 17), "holiday", "春节" },
                    { new DateOnly(2026, 2, 18), "holiday", "春节" },
                    { new DateOnly(2026, 2, 19), "holiday", "春节" },
                    { new DateOnly(2026, 2, 20), "holiday", "春节" },
                    { new DateOnly(2026, 2, 21), "holiday", "春节" },
                    { new DateOnly(2026, 2, 22), "holiday", "春节" },
                    { new DateOnly(2026, 2, 23), "holiday", "春节" },
                    { new DateOnly(2026, 2, 28), "workday", "春节调休上班" },
                    { new DateOnly(2026, 4, 4), "holiday", "清明节" },
                    { new DateOnly(2026, 4, 5), "holiday", "清明节" },
                    { new DateOnly(2026, 4, 6), "holiday", "清明节" },
                    { new DateOnly(2026, 5, 1), "holiday", "劳动节" },
                    { new DateOnly(2026, 5, 2), "holiday", "劳动节" },
                    { new DateOnly(2026, 5, 3), "holiday", "劳动节" },
                    { new DateOnly(2026, 5, 4), "holiday", "劳动节" },
                    { new DateOnly(2026, 5, 5), "holiday", "劳动节" },
                    { new DateOnly(2026, 5, 9), "workday", "劳动节调休上班" },
                    { new DateOnly(2026, 6, 19), "holiday", "端午节" },
                    { new DateOnly(2026, 6, 20), "holiday", "端午节" },
                    { new DateOnly(2026, 6, 21), "holiday", "端午节" },
                    { new DateOnly(2026, 9, 20), "workday", "国庆节调休上班" },
                    { new DateOnly(2026, 9, 25), "holiday", "中秋节" },
                    { new DateOnly(2026, 9, 26), "holiday", "中秋节" },
                    { new DateOnly(2026, 9, 27), "holiday", "中秋节" },
                    { new DateOnly(2026, 10, 1), "holiday", "国庆节" },
                    { new DateOnly(2026, 10, 2), "holiday", "国庆节" },
                    { new DateOnly(2026, 10, 3), "holiday", "国庆节" },
                    { new DateOnly(2026, 10, 4), "holiday", "国庆节" },
                    { new DateOnly(2026, 10, 5), "holiday", "国庆节" },
                    { new DateOnly(2026, 10, 6), "holiday", "国庆节" },
                    { new DateOnly(2026, 10, 7), "holiday", "国庆节" },
                    { new DateOnly(2026, 10, 10), "workday", "国庆节调休上班" }
                });

            migrationBuilder.CreateIndex(
                name: "IX_cases_StageDueAt_not_overdue",
                table: "cases",
                column: "StageDueAt",
                filter: "\"OverdueAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_cases_StageWarnAt_unwarned",
                table: "cases",
                column: "StageWarnAt",
                filter: "\"WarnedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_holidays");

            migrationBuilder.DropIndex(
                name: "IX_cases_StageDueAt_not_overdue",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "IX_cases_StageWarnAt_unwarned",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "EscalationLevel",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "OverdueAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "StageDueAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "StageStartedAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "StageWarnAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "WarnedAt",
                table: "cases");
        }
    }
}
