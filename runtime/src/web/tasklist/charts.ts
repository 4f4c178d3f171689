/**
 * ECharts with only the pieces the dashboard uses (bar charts on canvas). Import this module
 * dynamically (`await import('./charts')`) so ECharts loads only on the dashboard.
 */
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export { echarts };
